/*
 * assets.c - the dashboard's static files, looked up by exact URL path in
 * the table compiled into qm: nothing is read from disk, so no URL can
 * reach a file outside the table.
 */
#include <string.h>

#include "assets.h"
#include "http.h"

int assets_handle(struct http_request *r)
{
	if (strcmp(r->method, "GET") != 0 && strcmp(r->method, "HEAD") != 0)
		return http_not_allowed(r, "GET, HEAD");
	for (const struct asset *a = assets; a->path; a++)
		if (strcmp(a->path, r->url) == 0)
			return http_respond(r, 200, a->type, (const char *)a->data, a->len, "Cache-Control",
				"no-cache", NULL);
	return http_error(r, 404, NULL, "no such file: %s", r->url);
}
