/*
 * http/dispatch.h - the HTTP server: http/server.c with the settings' limits, one
 * callback for every request, routing, authentication, body parsing,
 * graceful shutdown.
 */
#ifndef LEERKANS_HTTP_H
#define LEERKANS_HTTP_H

#include <stdbool.h>

struct server;

bool	http_start(struct server *srv) __attribute__((warn_unused_result));
/* Stops accepting, lets in-flight requests finish, then ends the loop
 * (request_drain counts them). */
void	http_drain(struct server *srv);
void	http_stop(struct server *srv);

#endif
