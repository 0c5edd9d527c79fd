/*
 * http/dispatch.h - the HTTP server: http/server.c with the settings' limits, one
 * callback for every request, routing, authentication, body parsing,
 * graceful shutdown.
 */
#ifndef LEERKANS_HTTP_H
#define LEERKANS_HTTP_H

#include <stdbool.h>

struct server;
struct http_req;

bool	http_start(struct server *srv) __attribute__((warn_unused_result));
/* Stops accepting, lets in-flight requests finish, then ends the loop. */
void	http_drain(struct server *srv);
void	http_stop(struct server *srv);
/* Draining: ends the loop once nothing is in flight or being written. */
void	http_drain_check(struct server *srv);
/* Counts req's reply as being written until all of it is sent. */
void	http_track_write(struct server *srv, struct http_req *req);

#endif
