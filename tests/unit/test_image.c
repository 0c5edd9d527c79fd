/*
 * test_image.c - the logo file (base/image.c): its type by its first
 * bytes (PNG, WebP, SVG; anything else refused), its size bounded, its
 * ETag from its bytes, and a reason for every refusal.
 */
#include "autoconf.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/image.h"
#include "tap.h"

#define PNG	"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x01\0\0\0\x01\x08\x06"
#define WEBP	"RIFF\x1a\0\0\0WEBPVP8L\x0d\0\0\0"
#define SVG	"<svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 1 1\"/>"

static char dir[] = "/tmp/leerkans-image-XXXXXX";

/* A file of len bytes of data; its path (static). */
static const char *
file(const char *name, const void *data, size_t len)
{
	static char path[128];
	FILE *fp;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	if ((fp = fopen(path, "wb")) == NULL || fwrite(data, 1, len, fp) !=
	    len || fclose(fp) != 0)
		abort();
	return path;
}

static void
test_sniff(void)
{
	const unsigned char *u;

	u = (const unsigned char *)PNG;
	ok(image_sniff(u, sizeof(PNG) - 1) == IMAGE_PNG, "PNG by signature");
	ok(image_sniff(u, 8) == IMAGE_NONE, "a PNG signature alone is not one");
	u = (const unsigned char *)WEBP;
	ok(image_sniff(u, sizeof(WEBP) - 1) == IMAGE_WEBP, "WebP");
	u = (const unsigned char *)"\xef\xbb\xbf <?xml version=\"1.0\"?>\n"
	    "<!-- logo -->\n<svg\n width=\"10\">";
	ok(image_sniff(u, strlen((const char *)u)) == IMAGE_SVG,
	    "SVG after a BOM, a prolog and a comment");
	u = (const unsigned char *)"<svgx>";
	ok(image_sniff(u, 6) == IMAGE_NONE, "not an svg element");
	u = (const unsigned char *)"GIF89a\x01\0\x01\0";
	ok(image_sniff(u, 10) == IMAGE_NONE, "GIF is refused");
	u = (const unsigned char *)"\xff\xd8\xff\xe0";
	ok(image_sniff(u, 4) == IMAGE_NONE, "JPEG is refused");
	u = (const unsigned char *)"<svg \0>";
	ok(image_sniff(u, 7) == IMAGE_NONE, "text with a NUL is no SVG");
	ok(image_sniff(NULL, 0) == IMAGE_NONE, "nothing");
	is_str(image_mime(IMAGE_SVG), "image/svg+xml", "SVG's type");
	is_str(image_mime(IMAGE_WEBP), "image/webp", "WebP's type");
	ok(image_mime(IMAGE_NONE) == NULL, "no type for none");
}

static void
test_load(void)
{
	struct image img, other;
	char err[256], *big;

	ok(image_load(file("logo.png", PNG, sizeof(PNG) - 1), &img, err,
	    sizeof(err)), "a PNG loads");
	ok(img.type == IMAGE_PNG && img.len == sizeof(PNG) - 1 &&
	    memcmp(img.data, PNG, img.len) == 0, "its bytes and type");
	ok(strlen(img.etag) == 18 && img.etag[0] == '"', "a strong ETag");
	ok(image_load(file("logo.svg", SVG, sizeof(SVG) - 1), &other, err,
	    sizeof(err)) && other.type == IMAGE_SVG, "an SVG loads");
	ok(strcmp(img.etag, other.etag) != 0, "other bytes, another ETag");
	image_free(&img);
	image_free(&other);
	ok(img.data == NULL && img.len == 0, "freed");

	ok(!image_load(file("logo.gif", "GIF89a....", 10), &img, err,
	    sizeof(err)) && strstr(err, "not a PNG, WebP or SVG") != NULL &&
	    img.data == NULL, "a GIF is refused, saying why: %s", err);
	ok(!image_load(file("empty.png", "", 0), &img, err, sizeof(err)) &&
	    strstr(err, "0 bytes") != NULL, "an empty file: %s", err);
	if ((big = calloc(1, IMAGE_MAX + 1)) == NULL)
		abort();
	memcpy(big, PNG, sizeof(PNG) - 1);
	ok(!image_load(file("big.png", big, IMAGE_MAX + 1), &img, err,
	    sizeof(err)) && strstr(err, "1 to 524288 bytes") != NULL,
	    "too large: %s", err);
	free(big);
	snprintf(err, sizeof(err), "%s/none.png", dir);
	ok(!image_load(err, &img, err, sizeof(err)) &&
	    strstr(err, "No such file") != NULL, "missing: %s", err);
	ok(!image_load(dir, &img, err, sizeof(err)) &&
	    strstr(err, "not a regular file") != NULL, "a directory: %s", err);
}

int
main(void)
{
	char path[160];
	static const char *const names[] = { "logo.png", "logo.svg",
	    "logo.gif", "empty.png", "big.png", NULL };
	size_t i;

	if (mkdtemp(dir) == NULL)
		abort();
	test_sniff();
	test_load();
	for (i = 0; names[i] != NULL; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		unlink(path);
	}
	rmdir(dir);
	return done_testing();
}
