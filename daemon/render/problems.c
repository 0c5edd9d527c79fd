/*
 * render/problems.c - the problem types and their pages (problems.h).
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include "render/html.h"
#include "render/i18n.h"
#include "render/page.h"
#include "render/problems.h"

const struct problem_type problem_types[] = {
	/* -- what the request is: http/dispatch.c, http/request.c -------- */
	{ "malformed-request", 400,
	  "Onleesbare vraag", "Malformed request",
	  "De vraag is geen geldig HTTP: een kapotte aanvraagregel of "
	  "kopregel, een ontbrekende of dubbele Host, een Content-Length die "
	  "geen getal is of naast Transfer-Encoding staat, of een kapot "
	  "chunked lichaam. detail zegt wat. De verbinding wordt daarna "
	  "gesloten.",
	  "The request is not valid HTTP: a broken request line or header "
	  "field, a missing or second Host, a Content-Length that is not one "
	  "number or comes with Transfer-Encoding, or a broken chunked body. "
	  "detail says which. The connection is closed after the answer." },
	{ "malformed-body", 400,
	  "Onleesbaar lichaam", "Malformed body",
	  "Het lichaam van de vraag is geen geldige JSON (of, voor een "
	  "webformulier, geen geldige formuliercodering), is geen JSON-object, "
	  "noemt een sleutel twee keer of bevat een NUL-teken (\\u0000). "
	  "detail zegt wat en waar. Er werd niets bewaard.",
	  "The request's body is not valid JSON (or, for a web form, not a "
	  "valid form encoding), is not a JSON object, names a key twice or "
	  "holds a NUL character (\\u0000). detail says what and where. "
	  "Nothing was stored." },
	{ "malformed-query", 400,
	  "Onleesbare query", "Malformed query",
	  "De query (wat na het vraagteken komt) is geen reeks naam=waarde, "
	  "gescheiden door &.",
	  "The query string (what follows the question mark) is not a series "
	  "of name=value pairs separated by &." },
	{ "unauthorized", 401,
	  "Token nodig", "Unauthorized",
	  "Dit kan alleen een organisator, met Authorization: Bearer en een "
	  "token van leerkansctl token create. Het token ontbrak, was "
	  "misvormd, onbekend of ingetrokken.",
	  "Only an organiser may do this, with Authorization: Bearer and a "
	  "token made by leerkansctl token create. The token was missing, "
	  "malformed, unknown or revoked." },
	{ "forbidden", 403,
	  "Formulier geweigerd", "Forbidden",
	  "Een webformulier wordt alleen aanvaard van deze website, met het "
	  "CSRF-token dat de pagina meegaf en het cookie dat erbij hoort. "
	  "Laad de pagina opnieuw, sta cookies toe en verstuur opnieuw.",
	  "A web form is accepted only from this website, with the CSRF token "
	  "the page gave and the cookie that goes with it. Reload the page, "
	  "allow cookies and send it again." },
	{ "not-found", 404,
	  "Niet gevonden", "Not found",
	  "Op dit adres is niets: een onbekend pad, of een activiteit, "
	  "sessie, inschrijving of feed die niet (meer) bestaat. Een "
	  "activiteit in ontwerp bestaat alleen voor wie een token heeft.",
	  "There is nothing at this address: an unknown path, or an event, "
	  "session, registration or feed that does not exist (any more). A "
	  "draft event exists only for those with a token." },
	{ "method-not-allowed", 405,
	  "Methode niet toegestaan", "Method not allowed",
	  "Dit adres bestaat, maar niet voor deze methode. De kopregel Allow "
	  "noemt de methodes die wel werken.",
	  "This address exists, but not for this method. The Allow header "
	  "names the methods that work." },
	{ "body-too-large", 413,
	  "Lichaam te groot", "Request body too large",
	  "Het lichaam is groter dan max_body_size van de server (1 MiB "
	  "tenzij anders ingesteld); detail noemt de grens. De verbinding "
	  "wordt daarna gesloten.",
	  "The body is larger than the server's max_body_size (1 MiB unless "
	  "set otherwise); detail names the limit. The connection is closed "
	  "after the answer." },
	{ "uri-too-long", 414,
	  "Adres te lang", "Request target too long",
	  "Het adres (pad en query) is langer dan 8192 bytes.",
	  "The request target (path and query) is longer than 8192 bytes." },
	{ "unsupported-media-type", 415,
	  "Verkeerd inhoudstype", "Unsupported media type",
	  "De API neemt een lichaam aan als application/json, een "
	  "webformulier als application/x-www-form-urlencoded; Content-Type "
	  "noemde iets anders of ontbrak.",
	  "The API takes a body as application/json, a web form as "
	  "application/x-www-form-urlencoded; Content-Type named something "
	  "else or was missing." },
	{ "expectation-failed", 417,
	  "Verwachting niet mogelijk", "Expectation failed",
	  "De vraag had een Expect-kopregel met iets anders dan "
	  "100-continue.",
	  "The request had an Expect header with something other than "
	  "100-continue." },
	{ "header-too-large", 431,
	  "Kopregels te groot", "Request header fields too large",
	  "De kop van de vraag is groter dan max_header_size van de server "
	  "(16 KiB tenzij anders ingesteld) of heeft meer dan 100 "
	  "kopregels.",
	  "The request's head is larger than the server's max_header_size "
	  "(16 KiB unless set otherwise) or has more than 100 header "
	  "fields." },
	{ "not-implemented", 501,
	  "Niet ondersteund", "Not implemented",
	  "De methode (buiten GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS, "
	  "TRACE en CONNECT) of de transfer-codering (buiten chunked) kent "
	  "de server niet.",
	  "The server does not know the method (other than GET, HEAD, POST, "
	  "PUT, PATCH, DELETE, OPTIONS, TRACE and CONNECT) or the transfer "
	  "coding (other than chunked)." },
	{ "version-not-supported", 505,
	  "HTTP-versie niet ondersteund", "HTTP version not supported",
	  "De server spreekt HTTP/1.1 en HTTP/1.0; deze vraag gebruikte een "
	  "andere versie.",
	  "The server speaks HTTP/1.1 and HTTP/1.0; this request used another "
	  "version." },
	{ "validation-failed", 422,
	  "Ongeldige velden", "The request has invalid fields",
	  "Velden van het lichaam of parameters van de query ontbreken, zijn "
	  "onbekend of kloppen niet. errors somt ze allemaal op, elk met "
	  "field en message; pas ze aan en stuur de vraag opnieuw. Er werd "
	  "niets bewaard.",
	  "Fields of the body or parameters of the query are missing, unknown "
	  "or not valid. errors lists every one, each with field and message; "
	  "change them and send the request again. Nothing was stored." },
	{ "rate-limited", 429,
	  "Te veel vragen", "Too many requests",
	  "Er kwamen net te veel inschrijvingen van hetzelfde adres "
	  "(rate_limit per minuut) of voor hetzelfde e-mailadres "
	  "(email_rate_limit per uur). Retry-After zegt na hoeveel seconden "
	  "het weer kan.",
	  "Too many registrations came just now from one address (rate_limit "
	  "a minute) or for one e-mail address (email_rate_limit an hour). "
	  "Retry-After says after how many seconds to try again." },
	{ "internal-error", 500,
	  "Interne fout", "Internal error",
	  "De server kon de vraag niet afwerken door een fout aan zijn kant "
	  "(geen geheugen meer, een onverwacht antwoord van de databank). Er "
	  "werd niets half bewaard. Probeer later opnieuw; blijft het, meld "
	  "het aan blijfkennismaken@west-vlaanderen.be.",
	  "The server could not complete the request because of a fault on "
	  "its side (out of memory, an unexpected answer from the database). "
	  "Nothing was half stored. Try again later; if it stays, tell "
	  "blijfkennismaken@west-vlaanderen.be." },
	{ "unavailable", 503,
	  "Even niet beschikbaar", "Service unavailable",
	  "De databank was niet bereikbaar, geen verbinding kwam op tijd "
	  "vrij, of de vraag duurde langer dan request_timeout. Probeer "
	  "opnieuw na de seconden van Retry-After.",
	  "The database could not be reached, no connection came free in "
	  "time, or the request took longer than request_timeout. Try again "
	  "after the seconds in Retry-After." },
	{ "not-ready", 503,
	  "Niet klaar", "Not ready",
	  "/readyz: de databank antwoordt niet, of haar schema of functies "
	  "zijn niet die van deze versie (leerkansctl migrate). detail zegt "
	  "wat.",
	  "/readyz: the database does not answer, or its schema or functions "
	  "are not this build's (leerkansctl migrate). detail says which." },
	{ "erasure-not-configured", 503,
	  "Wissen niet ingesteld", "Erasure is not configured",
	  "Wissen op verzoek heeft een erasure_secret nodig "
	  "(LEERKANS_ERASURE_SECRET, 16 bytes of meer) en de server heeft er "
	  "geen. Wachten helpt niet: de beheerder moet het instellen en de "
	  "server herstarten.",
	  "Erasure needs an erasure_secret (LEERKANS_ERASURE_SECRET, 16 bytes "
	  "or more) and the server has none. Waiting does not help: an "
	  "operator must set one and restart the server." },
	{ "conflict", 409,
	  "Conflict", "Conflict",
	  "De vraag botst met wat al bewaard is (een regel van de databank "
	  "weigerde ze). Haal de gegevens opnieuw op en probeer opnieuw.",
	  "The request conflicts with the stored data (a rule of the database "
	  "refused it). Fetch the data again and retry." },

	/* -- what the SQL functions refuse: lk_fail ------------------------ */
	{ "slug-taken", 409,
	  "Slug al in gebruik", "Slug taken",
	  "Er bestaat al een activiteit (of, in deze activiteit, een sessie) "
	  "met deze slug. Kies een andere.",
	  "An event (or, in this event, a session) with this slug exists "
	  "already. Choose another." },
	{ "capacity-below-confirmed", 409,
	  "Capaciteit te klein", "Capacity below the confirmed registrations",
	  "De nieuwe capaciteit is kleiner dan het aantal bevestigde "
	  "inschrijvingen. Annuleer eerst inschrijvingen, of kies een "
	  "grotere capaciteit.",
	  "The new capacity is below the number of confirmed registrations. "
	  "Cancel registrations first, or choose a larger capacity." },
	{ "duplicate-registration", 409,
	  "Al ingeschreven", "Already registered",
	  "Dit e-mailadres (hoofdletters tellen niet) heeft al een "
	  "inschrijving voor deze activiteit die niet geannuleerd is. De "
	  "link in de eerste bevestiging toont ze.",
	  "This e-mail address (in any case) already holds a registration "
	  "for this event that is not cancelled. The link in the first "
	  "confirmation shows it." },
	{ "event-full", 409,
	  "Volzet", "Event full",
	  "Alle plaatsen zijn bevestigd en deze activiteit heeft geen "
	  "wachtlijst.",
	  "Every seat is confirmed and this event has no waiting list." },
	{ "event-cancelled", 409,
	  "Activiteit geannuleerd", "Event cancelled",
	  "Deze activiteit gaat niet door; inschrijven kan niet meer.",
	  "This event is cancelled; registering is no longer possible." },
	{ "registration-not-open", 409,
	  "Inschrijven nog niet open", "Registration not open yet",
	  "De inschrijvingen voor deze activiteit openen later "
	  "(registration_opens_at).",
	  "Registration for this event opens later (registration_opens_at)." },
	{ "registration-closed", 409,
	  "Inschrijven gesloten", "Registration closed",
	  "De inschrijvingen voor deze activiteit zijn gesloten "
	  "(registration_closes_at, of de activiteit is voorbij).",
	  "Registration for this event has closed (registration_closes_at, "
	  "or the event is over)." },
	{ "idempotency-key-reused", 422,
	  "Idempotency-Key hergebruikt", "Idempotency-Key reused",
	  "Deze Idempotency-Key werd de voorbije 48 uur al gebruikt met een "
	  "ander lichaam. Dezelfde sleutel met hetzelfde lichaam geeft het "
	  "eerste antwoord terug; een nieuwe vraag heeft een nieuwe sleutel "
	  "nodig.",
	  "This Idempotency-Key was used in the last 48 hours with another "
	  "body. The same key with the same body returns the first answer; a "
	  "new request needs a new key." },
	{ "registration-cancelled", 409,
	  "Inschrijving geannuleerd", "Registration cancelled",
	  "Een geannuleerde inschrijving kan niet aangemeld worden (check-in).",
	  "A cancelled registration cannot be checked in." },
	{ "registration-erased", 409,
	  "Inschrijving gewist", "Registration erased",
	  "Deze inschrijving werd gewist op verzoek; ze kan niet meer "
	  "aangemeld worden (check-in).",
	  "This registration was erased on request; it can no longer be "
	  "checked in." },
	{ "registration-waitlisted", 409,
	  "Inschrijving op de wachtlijst", "Registration on the waiting list",
	  "Deze persoon staat op de wachtlijst en heeft geen plaats; "
	  "inchecken kan pas als er een plaats vrijkomt en de inschrijving "
	  "bevestigd is.",
	  "This person is on the waiting list and has no seat; they can be "
	  "checked in once a seat comes free and the registration is "
	  "confirmed." },
	{ "checkin-closed", 409,
	  "Inchecken is gesloten", "Check-in is closed",
	  "Inchecken kan alleen op de dag van de activiteit (met een marge "
	  "van enkele uren, de instelling checkin_margin_hours). Een "
	  "organisator kan een check-in achteraf nog ongedaan maken.",
	  "People can be checked in on the day of the event only (with a "
	  "margin of a few hours, the setting checkin_margin_hours). An "
	  "organiser can still undo a check-in afterwards." },
	/* -- the organiser console and scoped tokens (http/session.c,
	 * handlers/console.c, migrations/functions/50_console.sql) ------ */
	{ "insufficient-scope", 403,
	  "Token met te weinig rechten", "Insufficient scope",
	  "Het token is geldig, maar zijn bereik laat dit niet toe: een "
	  "token met bereik door mag alleen mensen aanmelden (check-in). "
	  "Maak een token met bereik organiser voor het andere werk.",
	  "The token is valid, but its scope does not allow this: a token "
	  "of scope door may only check people in. Make a token of scope "
	  "organiser for anything else." },
	{ "login-required", 401,
	  "Aanmelden nodig", "Login required",
	  "Deze pagina van de beheeromgeving (/beheer/) vraagt een "
	  "aangemelde gebruiker. De sessie ontbrak, liep af of werd "
	  "afgemeld: meld je opnieuw aan.",
	  "This page of the organiser console (/beheer/) needs a user who is "
	  "logged in. The session was missing, ran out or was logged out: "
	  "log in again." },
	{ "not-allowed", 403,
	  "Niet toegestaan voor je rol", "Not allowed for your role",
	  "Je bent aangemeld, maar je rol laat dit niet toe: een "
	  "deuraccount mag alleen aanmelden aan de deur, een organisator "
	  "beheert geen gebruikers of tokens. Vraag het aan een beheerder.",
	  "You are logged in, but your role does not allow this: a door "
	  "account may only check people in, an organiser does not manage "
	  "users or tokens. Ask an admin." },
	{ "user-exists", 409,
	  "Gebruiker bestaat al", "User exists",
	  "Er is al een account met dit e-mailadres.",
	  "There is an account with this e-mail address already." },
	{ "user-not-found", 404,
	  "Gebruiker niet gevonden", "User not found",
	  "Er is geen account met dit e-mailadres of nummer.",
	  "There is no account with this e-mail address or number." },
	{ "not-a-draft", 409,
	  "Geen ontwerp", "Not a draft",
	  "Alleen een ontwerp kan gepubliceerd worden. Deze activiteit is "
	  "al gepubliceerd of geannuleerd.",
	  "Only a draft can be published. This event is published or "
	  "cancelled already." },
	{ "already-cancelled", 409,
	  "Al geannuleerd", "Cancelled already",
	  "Deze activiteit is al geannuleerd; de ingeschrevenen kregen "
	  "daarover toen een e-mail.",
	  "This event is cancelled already; its registrants were told by "
	  "e-mail then." },
	{ "own-account", 409,
	  "Je eigen account", "Your own account",
	  "Je kan je eigen account niet uitschakelen of een lagere rol "
	  "geven: een andere beheerder doet dat, zodat niemand zichzelf "
	  "buitensluit.",
	  "You cannot disable your own account or lower its role: another "
	  "admin does that, so that nobody locks themselves out." },
	{ "last-admin", 409,
	  "Laatste beheerder", "Last admin",
	  "Dit is de laatste actieve beheerder; zonder hem kan niemand nog "
	  "gebruikers of tokens beheren. Maak eerst een andere beheerder.",
	  "This is the last active admin; without one nobody could manage "
	  "users or tokens. Make another admin first." },
	{ "token-exists", 409,
	  "Token bestaat al", "Token exists",
	  "Er is al een geldig token met deze naam; trek het eerst in.",
	  "There is a valid token with this name already; revoke it first." },
	{ "token-not-found", 404,
	  "Token niet gevonden", "Token not found",
	  "Er is geen geldig token met deze naam of dit nummer.",
	  "There is no valid token with this name or number." },
};

const size_t problem_types_len = sizeof(problem_types) /
    sizeof(problem_types[0]);

const struct problem_type *
problem_type_find(const char *name)
{
	size_t i;

	for (i = 0; i < problem_types_len; i++)
		if (strcmp(problem_types[i].name, name) == 0)
			return &problem_types[i];
	return NULL;
}

void
pages_problem(struct html *h, const struct page_ctx *c,
    const struct problem_type *p)
{
	const char *title = TR(c->lang, p->title_nl, p->title_en);
	char path[96];

	snprintf(path, sizeof(path), "/problems/%s", p->name);
	page_open(h, c, title, path, false);
	html_fmt(h, "<h1>%s</h1>\n<p>%s</p>\n<dl>\n"
	    "<dt>%s</dt><dd>%d</dd>\n<dt>%s</dt><dd><code>%s%s</code></dd>\n"
	    "</dl>\n<p>%s</p>\n",
	    title, TR(c->lang, p->text_nl, p->text_en),
	    TR(c->lang, "HTTP-status", "HTTP status"), p->status,
	    TR(c->lang, "Type", "Type"), c->public_url != NULL ?
	    c->public_url : "", path,
	    TR(c->lang, "Programma's krijgen dit probleem als "
	    "application/problem+json (RFC 9457): type (het adres van deze "
	    "pagina), title, status, vaak detail (wat precies) en, bij "
	    "velden, errors. Op de webpagina's toont de server een pagina in "
	    "de taal van de lezer.",
	    "Programs get this problem as application/problem+json (RFC "
	    "9457): type (this page's address), title, status, often detail "
	    "(what exactly) and, for fields, errors. On the web pages the "
	    "server shows a page in the reader's language."));
	html_fmt(h, "<p><a href=\"/%s\">%s</a></p>\n", c->lq != NULL ? c->lq :
	    "", TR(c->lang, "Naar alle activiteiten", "To all events"));
	page_close(h, c);
}
