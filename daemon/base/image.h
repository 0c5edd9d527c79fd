/*
 * image.h - an image file read once at start and served from memory:
 * the logo of the pages' footer (the logo_file setting).
 *
 * The type is taken from the file's first bytes, never from its name:
 * PNG, WebP and SVG are accepted, anything else is refused with a
 * sentence that says why, so that leerkansd does not start with a logo
 * the browsers would not show.  The size is bounded (IMAGE_MAX).
 */
#ifndef LEERKANS_IMAGE_H
#define LEERKANS_IMAGE_H

#include <stdbool.h>
#include <stddef.h>

#define IMAGE_MAX	(512 * 1024)	/* bytes */

enum image_type {
	IMAGE_NONE,		/* not one of these */
	IMAGE_PNG,
	IMAGE_WEBP,
	IMAGE_SVG
};

struct image {
	unsigned char	*data;		/* NULL: no image */
	size_t		 len;
	enum image_type	 type;
	char		 etag[24];	/* strong, quoted: of the bytes */
};

/* What the first len bytes of p are. */
enum image_type image_sniff(const unsigned char *p, size_t len);
/* "image/png", ...; NULL for IMAGE_NONE. */
const char *image_mime(enum image_type type);
/*
 * Reads path into img, checks its size and type and makes its ETag;
 * false, with err saying why, when it cannot be used.
 */
bool	image_load(const char *path, struct image *img, char *err,
	    size_t errlen) __attribute__((warn_unused_result));
void	image_free(struct image *img);

#endif
