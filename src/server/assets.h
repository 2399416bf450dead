/*
 * assets.h - the dashboard's files compiled into qm (build/gen/assets.c,
 * made by tools/embed.c from web/ and Chart.js).
 */
#ifndef QM_ASSETS_H
#define QM_ASSETS_H

#include <stddef.h>

struct asset {
	const char *path; /* the URL path: "/", "/static/app.js" */
	const char *type; /* Content-Type */
	const unsigned char *data;
	size_t len;
};

/* Ends with an entry whose path is NULL. */
extern const struct asset assets[];

#endif
