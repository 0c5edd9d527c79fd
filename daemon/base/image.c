/*
 * image.c - an image file read once at start (the pages' logo): bounded,
 * its type by its first bytes, its ETag by its contents.
 */
#include "autoconf.h"

#include <sys/stat.h>

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/image.h"
#include "base/util.h"

/* how far into an SVG file its <svg element may start (after a prolog,
 * a doctype, comments) */
#define SVG_WITHIN	4096

static bool
starts(const unsigned char *p, size_t len, const char *what)
{
	size_t n = strlen(what);

	return len >= n && memcmp(p, what, n) == 0;
}

/*
 * SVG is text: after a byte order mark and white space it begins with
 * markup, holds no NUL, and its <svg element comes early.
 */
static bool
is_svg(const unsigned char *p, size_t len)
{
	size_t i = 0, n;

	if (memchr(p, '\0', len) != NULL)
		return false;
	if (starts(p, len, "\xef\xbb\xbf"))
		i = 3;
	while (i < len && (p[i] == ' ' || p[i] == '\t' || p[i] == '\r' ||
	    p[i] == '\n'))
		i++;
	if (i >= len || p[i] != '<')
		return false;
	n = len - i < SVG_WITHIN ? len - i : SVG_WITHIN;
	for (; n >= 5; n--, i++)
		if (memcmp(p + i, "<svg", 4) == 0 && (p[i + 4] == ' ' ||
		    p[i + 4] == '>' || p[i + 4] == '\n' || p[i + 4] == '\r' ||
		    p[i + 4] == '\t'))
			return true;
	return false;
}

enum image_type
image_sniff(const unsigned char *p, size_t len)
{
	if (p == NULL)
		return IMAGE_NONE;
	/* the signature, then the IHDR chunk that must come first */
	if (len >= 16 && starts(p, len, "\x89PNG\r\n\x1a\n") &&
	    memcmp(p + 12, "IHDR", 4) == 0)
		return IMAGE_PNG;
	if (len >= 16 && starts(p, len, "RIFF") && memcmp(p + 8, "WEBPVP8",
	    7) == 0)
		return IMAGE_WEBP;
	if (is_svg(p, len))
		return IMAGE_SVG;
	return IMAGE_NONE;
}

const char *
image_mime(enum image_type type)
{
	switch (type) {
	case IMAGE_PNG:
		return "image/png";
	case IMAGE_WEBP:
		return "image/webp";
	case IMAGE_SVG:
		return "image/svg+xml";
	case IMAGE_NONE:
		break;
	}
	return NULL;
}

bool
image_load(const char *path, struct image *img, char *err, size_t errlen)
{
	struct stat st;
	unsigned char *buf = NULL;
	size_t got = 0;
	ssize_t n;
	int fd;

	memset(img, 0, sizeof(*img));
	if ((fd = open(path, O_RDONLY | O_CLOEXEC)) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return false;
	}
	if (fstat(fd, &st) == -1) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		goto fail;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a regular file", path);
		goto fail;
	}
	if (st.st_size <= 0 || st.st_size > IMAGE_MAX) {
		snprintf(err, errlen, "%s: %lld bytes; an image of 1 to %d bytes "
		    "is needed", path, (long long)st.st_size, IMAGE_MAX);
		goto fail;
	}
	if ((buf = malloc((size_t)st.st_size)) == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	/* the size read is what counts: the file may change meanwhile */
	while (got < (size_t)st.st_size) {
		n = read(fd, buf + got, (size_t)st.st_size - got);
		if (n == -1 && errno == EINTR)
			continue;
		if (n == -1) {
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
			goto fail;
		}
		if (n == 0)
			break;
		got += (size_t)n;
	}
	if ((img->type = image_sniff(buf, got)) == IMAGE_NONE) {
		snprintf(err, errlen, "%s: not a PNG, WebP or SVG image (by its "
		    "first bytes)", path);
		goto fail;
	}
	close(fd);
	img->data = buf;
	img->len = got;
	snprintf(img->etag, sizeof(img->etag), "\"%016llx\"",
	    (unsigned long long)hash_mem(buf, got, 0x6c6f676f));
	return true;
fail:
	close(fd);
	free(buf);
	memset(img, 0, sizeof(*img));
	return false;
}

void
image_free(struct image *img)
{
	free(img->data);
	memset(img, 0, sizeof(*img));
}
