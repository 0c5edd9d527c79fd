/*
 * http.h - the HTTP server: evhttp with limits, one callback for every
 * request, routing, authentication, body parsing, graceful shutdown.
 */
#ifndef LEERKANS_HTTP_H
#define LEERKANS_HTTP_H

#include <stdbool.h>

struct server;
struct evhttp_request;

bool	http_start(struct server *srv) __attribute__((warn_unused_result));
/* Stops accepting, lets in-flight requests finish, then ends the loop. */
void	http_drain(struct server *srv);
void	http_stop(struct server *srv);
/* Draining: ends the loop once nothing is in flight or being written. */
void	http_drain_check(struct server *srv);
/* Counts r's reply as being written until evhttp has sent all of it. */
void	http_track_write(struct server *srv, struct evhttp_request *req);

#endif
