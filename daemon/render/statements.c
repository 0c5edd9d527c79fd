/*
 * render/statements.c - the privacy notice and the accessibility
 * statement, from the settings in c->site.  See statements.h.
 *
 * What they say must stay true of the code: what the form asks and why
 * (render/pages.c, input/validate.c registration_fields), who sees it
 * (the organiser's exports and check-in), how long it is kept
 * (retention_months: leerkansctl purge), what erasure keeps (keyed
 * pseudonyms, docs/ORGANISER.md), the one cookie (handlers/site.c), and
 * how the pages are tested (tests/integration/test_a11y.py,
 * test_browser.py).
 */
#include "autoconf.h"

#include <string.h>

#include "render/html.h"
#include "render/i18n.h"
#include "render/page.h"
#include "render/statements.h"

/*
 * The head of a statement: indexable, with its canonical address.  False,
 * with h failed, without the settings that say who is behind the site.
 */
static bool
statement_open(struct html *h, const struct page_ctx *c, const char *title,
    const char *path, const char *description)
{
	struct page_meta meta;

	if (c->site == NULL) {
		h->failed = true;
		return false;
	}
	memset(&meta, 0, sizeof(meta));
	meta.description = description;
	page_open_meta(h, c, title, path, &meta);
	html_fmt(h, "<h1>%s</h1>\n", title);
	return true;
}

/* "24 maanden", "1 month" */
static void
months(struct html *h, enum lang lang, int n)
{
	if (n == 1)
		html_fmt(h, "%d %s", n, TR(lang, "maand", "month"));
	else
		html_fmt(h, "%d %s", n, TR(lang, "maanden", "months"));
}

static void
mailto(struct html *h, const char *address)
{
	html_fmt(h, "<a href=\"mailto:%s\">%s</a>", address, address);
}

void
statements_privacy(struct html *h, const struct page_ctx *c)
{
	const struct page_site *s = c->site;
	enum lang l = c->lang;
	const char *lq = c->lq != NULL ? c->lq : "";

	if (!statement_open(h, c, TR(l, "Privacyverklaring", "Privacy notice"),
	    "/privacy", TR(l, "Welke gegevens het West-Vlaams Partnerschap "
	    "Levenslang Leren vraagt als je je inschrijft, waarom, wie ze "
	    "ziet, hoe lang we ze bewaren en wat je rechten zijn.",
	    "What data the West Flanders Partnership for Lifelong Learning "
	    "asks when you register, why, who sees it, how long we keep it "
	    "and what your rights are.")))
		return;
	html_fmt(h, "<p class=\"lead\">%s</p>\n", TR(l, "Als je je inschrijft "
	    "voor een activiteit van het West-Vlaams Partnerschap Levenslang "
	    "Leren, vragen we je enkele gegevens. Hier lees je welke, waarom, "
	    "wie ze ziet, hoe lang we ze bewaren en wat je rechten zijn "
	    "(artikel 13 van de Algemene Verordening Gegevensbescherming, "
	    "AVG).", "When you register for an event of the West Flanders "
	    "Partnership for Lifelong Learning, we ask you for some data. "
	    "Here you read which, why, who sees it, how long we keep it and "
	    "what your rights are (article 13 of the General Data Protection "
	    "Regulation, GDPR)."));

	html_fmt(h, "<h2 id=\"verantwoordelijke\">%s</h2>\n<p>%s</p>\n"
	    "<p class=\"address\">%s<br>\n%s<br>\n", TR(l, "Wie is "
	    "verantwoordelijk?", "Who is responsible?"), TR(l, "De "
	    "verwerkingsverantwoordelijke voor je gegevens is:", "The "
	    "controller of your data is:"), s->controller_name,
	    s->controller_address);
	mailto(h, s->contact_email);
	html_fmt(h, "</p>\n<p>%s ", TR(l, "Voor vragen over je "
	    "persoonsgegevens en om je rechten uit te oefenen, is het "
	    "contactpunt voor gegevensbescherming:", "For questions about "
	    "your personal data and to use your rights, the contact for data "
	    "protection is:"));
	mailto(h, s->privacy_contact);
	html_raw(h, ".</p>\n");

	html_fmt(h, "<h2 id=\"gegevens\">%s</h2>\n<ul>\n", TR(l, "Welke "
	    "gegevens, en waarom", "What data, and why"));
	html_fmt(h, "<li>%s</li>\n<li>%s</li>\n<li>%s</li>\n<li>%s</li>\n"
	    "<li>%s</li>\n</ul>\n",
	    TR(l, "Je naam en e-mailadres: om je inschrijving te beheren, je "
	    "de link naar je eigen inschrijvingspagina te geven en je te laten "
	    "weten als er iets verandert, zoals een ander uur, een plaats die "
	    "vrijkomt op de wachtlijst of een annulering.", "Your name and "
	    "e-mail address: to manage your registration, to give you the "
	    "link to your own registration page and to let you know when "
	    "something changes, such as another time, a place that comes free "
	    "on the waiting list or a cancellation."),
	    TR(l, "Je organisatie en, als je het geeft, haar "
	    "ondernemingsnummer: zodat de organisatoren weten wie er komt, en "
	    "zodat elke organisatie \xc3\xa9\xc3\xa9n keer meetelt in ons "
	    "bereik.", "Your organisation and, if you give it, its "
	    "enterprise number: so that the organisers know who is coming, "
	    "and so that every organisation counts once in our reach."),
	    TR(l, "Als wie je komt, de soort organisatie en je postcode: om "
	    "te tellen wie we bereiken, per doelgroep en per regio (\xe2\x80"
	    "\x9c" "De teller loopt\xe2\x80\x9d), zodat we ons aanbod "
	    "kunnen afstemmen, bijvoorbeeld op de Westhoek.", "Who you are "
	    "coming as, the type of organisation and your postcode: to count "
	    "whom we reach, per target group and per region (\xe2\x80\x9c"
	    "De teller loopt\xe2\x80\x9d), so that we can fit what we offer, "
	    "for instance to the Westhoek."),
	    TR(l, "De sessies die je kiest, je taal voor contact, en of je "
	    "aanwezig was (de aanmelding aan de deur).", "The sessions you "
	    "choose, your language for contact, and whether you attended "
	    "(the check-in at the door)."),
	    TR(l, "Wanneer je je inschreef, en of je annuleerde.",
	    "When you registered, and whether you cancelled."));
	html_fmt(h, "<p>%s</p>\n<p>%s</p>\n<p>%s</p>\n",
	    TR(l, "Naam, e-mailadres, als wie je komt en de soort "
	    "organisatie zijn nodig om je in te schrijven; organisatie, "
	    "ondernemingsnummer en postcode zijn niet verplicht.", "Name, "
	    "e-mail address, who you are coming as and the type of "
	    "organisation are needed to register; organisation, enterprise "
	    "number and postcode are optional."),
	    TR(l, "De rechtsgrond is je toestemming (artikel 6.1.a AVG), die "
	    "je geeft met het vakje onderaan het formulier. Je kan ze altijd "
	    "intrekken: annuleer je inschrijving of vraag ons je gegevens te "
	    "wissen.", "The legal basis is your consent (article 6(1)(a) "
	    "GDPR), which you give with the box at the foot of the form. You "
	    "can withdraw it at any time: cancel your registration or ask us "
	    "to erase your data."),
	    TR(l, "Deze website volgt je niet: geen analysediensten, geen "
	    "advertenties, geen inhoud van andere websites. Hij zet "
	    "\xc3\xa9\xc3\xa9n cookie, dat je formulieren beschermt tegen "
	    "misbruik vanaf andere websites (CSRF); het bevat niets over jou.",
	    "This website does not track you: no analytics, no "
	    "advertising, no content from other websites. It sets one "
	    "cookie, which protects your forms against misuse from other "
	    "websites (CSRF); it holds nothing about you."));

	html_fmt(h, "<h2 id=\"ontvangers\">%s</h2>\n<p>%s</p>\n", TR(l, "Wie "
	    "je gegevens ziet", "Who sees your data"), TR(l, "De medewerkers "
	    "van de partners die de activiteit organiseren (de Provincie "
	    "West-Vlaanderen, POM West-Vlaanderen, TUA West en Huis van het "
	    "Leren West-Vlaanderen) zien de deelnemerslijst: om de activiteit "
	    "voor te bereiden en je aan de deur aan te melden. We verkopen je "
	    "gegevens niet en geven ze aan niemand anders voor eigen "
	    "gebruik. Het jaarlijkse bereik (\xe2\x80\x9c" "De teller "
	    "loopt\xe2\x80\x9d) bevat alleen tellingen, geen namen.", "The "
	    "staff of the partners who organise the event (the Province of "
	    "West Flanders, POM West-Vlaanderen, TUA West and Huis van het "
	    "Leren West-Vlaanderen) see the list of attendees: to prepare the "
	    "event and to check you in at the door. We do not sell your data "
	    "and give it to nobody else for their own use. The yearly reach "
	    "(\xe2\x80\x9c" "De teller loopt\xe2\x80\x9d) holds counts only, "
	    "no names."));

	html_fmt(h, "<h2 id=\"bewaartermijn\">%s</h2>\n<p>", TR(l, "Hoe lang "
	    "we ze bewaren", "How long we keep it"));
	html_fmt(h, "%s <strong class=\"retention\">", TR(l, "We bewaren je "
	    "gegevens tot", "We keep your data until"));
	months(h, l, s->retention_months);
	html_fmt(h, "</strong> %s</p>\n<p>%s</p>\n", TR(l, "na het einde van "
	    "de activiteit. Dan wissen we je naam, e-mailadres, organisatie "
	    "en ondernemingsnummer.", "after the end of the event. Then we "
	    "erase your name, e-mail address, organisation and enterprise "
	    "number."), TR(l, "Wat overblijft, zijn gegevens zonder naam "
	    "voor de tellingen: als wie je kwam, de soort organisatie, je "
	    "postcode, je sessies en of je er was, met een code die zonder "
	    "een geheime sleutel niet naar jou terugleidt (een pseudoniem), "
	    "zodat niemand dubbel telt.", "What remains is data without a "
	    "name, for the counts: who you came as, the type of organisation, "
	    "your postcode, your sessions and whether you attended, with a "
	    "code that does not lead back to you without a secret key (a "
	    "pseudonym), so that nobody counts twice."));

	html_fmt(h, "<h2 id=\"rechten\">%s</h2>\n<ul>\n", TR(l, "Je rechten",
	    "Your rights"));
	html_fmt(h, "<li>%s</li>\n<li>%s</li>\n<li>%s</li>\n<li>%s</li>\n"
	    "<li>%s</li>\n</ul>\n<p>%s ",
	    TR(l, "Inzage: je eigen inschrijvingspagina (de link die je na "
	    "het inschrijven krijgt) toont wat we van je bewaren.", "Access: "
	    "your own registration page (the link you get after registering) "
	    "shows what we keep about you."),
	    TR(l, "Verbetering van gegevens die niet kloppen.",
	    "Rectification of data that is wrong."),
	    TR(l, "Wissen: op je vraag wissen we je gegevens, voor al je "
	    "inschrijvingen.", "Erasure: when you ask, we erase your data, "
	    "for all your registrations."),
	    TR(l, "Je toestemming intrekken: annuleer je inschrijving op je "
	    "inschrijvingspagina, of vraag ons je gegevens te wissen.",
	    "Withdrawing your consent: cancel your registration on your "
	    "registration page, or ask us to erase your data."),
	    TR(l, "Beperking van de verwerking, bezwaar en overdraagbaarheid "
	    "van je gegevens.", "Restriction of processing, objection and "
	    "portability of your data."),
	    TR(l, "Om een recht uit te oefenen, mail je naar",
	    "To use a right, write to"));
	mailto(h, s->privacy_contact);
	html_fmt(h, "%s</p>\n", TR(l, ". We antwoorden binnen een maand.",
	    ". We answer within a month."));

	html_fmt(h, "<h2 id=\"klacht\">%s</h2>\n<p>%s</p>\n<p class=\"address\">"
	    "%s<br>\n%s<br>\n<a href=\"mailto:contact@apd-gba.be\">"
	    "contact@apd-gba.be</a><br>\n<a href=\"%s\">%s</a></p>\n",
	    TR(l, "Een klacht", "A complaint"), TR(l, "Ben je het niet eens "
	    "met hoe we met je gegevens omgaan, laat het ons dan weten. Je "
	    "hebt ook het recht een klacht in te dienen bij de Belgische "
	    "toezichthouder:", "If you disagree with how we handle your "
	    "data, let us know. You also have the right to lodge a complaint "
	    "with the Belgian supervisory authority:"),
	    TR(l, "Gegevensbeschermingsautoriteit", "Data Protection Authority "
	    "(Gegevensbeschermingsautoriteit)"), TR(l, "Drukpersstraat 35, "
	    "1000 Brussel", "Rue de la Presse 35, 1000 Brussels"),
	    TR(l, "https://www.gegevensbeschermingsautoriteit.be",
	    "https://www.dataprotectionauthority.be"),
	    TR(l, "www.gegevensbeschermingsautoriteit.be",
	    "www.dataprotectionauthority.be"));
	html_fmt(h, "<p><a href=\"/%s\">%s</a></p>\n", lq, TR(l, "Naar alle "
	    "activiteiten", "To all events"));
	page_close(h, c);
}

void
statements_accessibility(struct html *h, const struct page_ctx *c)
{
	const struct page_site *s = c->site;
	enum lang l = c->lang;
	const char *lq = c->lq != NULL ? c->lq : "";

	if (!statement_open(h, c, TR(l, "Toegankelijkheidsverklaring",
	    "Accessibility statement"), "/accessibility", TR(l, "Hoe "
	    "toegankelijk de inschrijvingspagina's van het West-Vlaams "
	    "Partnerschap Levenslang Leren zijn, hoe we dat testen, wat nog "
	    "niet lukt en hoe je ons een probleem meldt.", "How accessible "
	    "the registration pages of the West Flanders Partnership for "
	    "Lifelong Learning are, how we test it, what does not work yet "
	    "and how to report a problem.")))
		return;
	html_fmt(h, "<p class=\"lead\">%s</p>\n<p>%s</p>\n", TR(l, "Het "
	    "West-Vlaams Partnerschap Levenslang Leren wil dat iedereen zich "
	    "kan inschrijven voor zijn activiteiten, ook wie een schermlezer, "
	    "alleen een toetsenbord of een vergroting gebruikt. Deze verklaring "
	    "volgt het bestuursdecreet van 7 december 2018 en de Europese "
	    "richtlijn (EU) 2016/2102 over de toegankelijkheid van websites "
	    "van overheidsinstanties.", "The West Flanders Partnership for "
	    "Lifelong Learning wants everyone to be able to register for its "
	    "events, including people who use a screen reader, only a "
	    "keyboard or magnification. This statement follows the Flemish "
	    "Governance Decree of 7 December 2018 and the European directive "
	    "(EU) 2016/2102 on the accessibility of the websites of public "
	    "sector bodies."), TR(l, "Ze geldt voor de pagina's van deze "
	    "inschrijvingswebsite: de lijst van activiteiten, de pagina van "
	    "elke activiteit met het inschrijfformulier, je eigen "
	    "inschrijvingspagina en het annuleren, de privacyverklaring en "
	    "deze verklaring.", "It covers the pages of this registration "
	    "website: the list of events, the page of each event with its "
	    "registration form, your own registration page and cancelling, "
	    "the privacy notice and this statement."));

	html_fmt(h, "<h2 id=\"status\">%s</h2>\n<p>%s</p>\n", TR(l,
	    "Nalevingsstatus", "Compliance status"), TR(l, "Deze website is "
	    "gedeeltelijk in overeenstemming met de Web Content Accessibility "
	    "Guidelines (WCAG) 2.1, niveau AA: dat is het doel, maar een "
	    "volledige beoordeling door een deskundige ontbreekt nog (zie "
	    "hieronder).", "This website is partially compliant with the Web "
	    "Content Accessibility Guidelines (WCAG) 2.1, level AA: that is "
	    "the aim, but a full evaluation by an expert is still lacking "
	    "(see below)."));

	html_fmt(h, "<h2 id=\"testen\">%s</h2>\n<ul>\n<li>%s</li>\n<li>%s</li>\n"
	    "<li>%s</li>\n<li>%s</li>\n</ul>\n", TR(l, "Hoe we testen",
	    "How we test"),
	    TR(l, "Bij elke wijziging onderzoekt axe-core elke pagina in een "
	    "echte browser (Chromium), op computer- en op gsm-breedte; een "
	    "ernstige of kritieke fout houdt de wijziging tegen.", "With every "
	    "change, axe-core examines every page in a real browser "
	    "(Chromium), at desktop and at phone width; a serious or critical "
	    "violation stops the change."),
	    TR(l, "We schrijven ons in, kiezen sessies per tijdslot en "
	    "annuleren met alleen het toetsenbord, en controleren dat de "
	    "pagina's op 375 pixels breed passen zonder zijwaarts te scrollen.",
	    "We register, choose sessions per time slot and cancel with the "
	    "keyboard only, and check that the pages fit 375 pixels wide "
	    "without scrolling sideways."),
	    TR(l, "De pagina's werken zonder JavaScript. Elk veld heeft een "
	    "label; een fout staat bij het veld en bovenaan in een overzicht "
	    "met links naar de velden.", "The pages work without JavaScript. "
	    "Every field has a label; a mistake is shown beside the field and "
	    "at the top in a summary with links to the fields."),
	    TR(l, "Sessies die tegelijk lopen, zijn een keuzerondje per "
	    "tijdslot, zodat je er niet per vergissing twee kiest.",
	    "Sessions that run at the same time are one set of radio buttons "
	    "per time slot, so that you cannot choose two by mistake."));

	html_fmt(h, "<h2 id=\"beperkingen\">%s</h2>\n<ul>\n<li>%s</li>\n"
	    "<li>%s</li>\n<li>%s</li>\n</ul>\n", TR(l, "Wat nog niet "
	    "toegankelijk is", "What is not accessible yet"),
	    TR(l, "Er was nog geen volledige audit door een deskundige en nog "
	    "geen test met schermlezers (zoals NVDA, JAWS of VoiceOver) door "
	    "mensen die ze dagelijks gebruiken. Automatische tests vinden maar "
	    "een deel van de problemen.", "There has been no full audit by an "
	    "expert yet, nor a test with screen readers (such as NVDA, JAWS "
	    "or VoiceOver) by people who use them every day. Automated tests "
	    "find only part of the problems."),
	    TR(l, "De beschrijvingen van activiteiten en sessies zijn gewone "
	    "tekst van de organisatoren: lijsten en tussentitels daarin komen "
	    "niet als zodanig door.", "The descriptions of events and "
	    "sessions are plain text from the organisers: lists and headings "
	    "in them do not come through as such."),
	    TR(l, "Agendabestanden (.ics) en deelnemerslijsten zijn bestanden "
	    "voor andere programma's; hun toegankelijkheid hangt af van die "
	    "programma's.", "Calendar files (.ics) and attendee lists are "
	    "files for other programs; their accessibility depends on those "
	    "programs."));

	html_fmt(h, "<h2 id=\"contact\">%s</h2>\n<p>%s ", TR(l, "Een probleem "
	    "melden", "Reporting a problem"), TR(l, "Loop je tegen een "
	    "probleem aan, of heb je informatie nodig in een andere vorm? "
	    "Laat het ons weten via", "Do you run into a problem, or do you "
	    "need information in another form? Let us know at"));
	mailto(h, s->contact_email);
	html_fmt(h, "%s</p>\n", TR(l, ". Zeg op welke pagina en wat er "
	    "misliep; we helpen je verder en passen de website aan.",
	    ". Say on which page and what went wrong; we help you on and "
	    "change the website."));
	html_fmt(h, "<h2 id=\"handhaving\">%s</h2>\n<p>%s</p>\n"
	    "<p class=\"address\">%s<br>\n%s<br>\n<a href=\"mailto:"
	    "klachten@vlaamseombudsdienst.be\">klachten@vlaamseombudsdienst.be"
	    "</a><br>\n<a href=\"https://www.vlaamseombudsdienst.be\">"
	    "www.vlaamseombudsdienst.be</a></p>\n", TR(l,
	    "Handhavingsprocedure", "Enforcement procedure"), TR(l, "Ben je "
	    "niet tevreden met ons antwoord, dan kan je klacht indienen bij "
	    "de Vlaamse Ombudsdienst:", "If you are not satisfied with our "
	    "answer, you can lodge a complaint with the Flemish Ombudsman "
	    "(Vlaamse Ombudsdienst):"), TR(l, "Vlaamse Ombudsdienst",
	    "Vlaamse Ombudsdienst"), TR(l, "Leuvenseweg 86, 1000 Brussel",
	    "Leuvenseweg 86, 1000 Brussels"));
	html_fmt(h, "<h2 id=\"opgesteld\">%s</h2>\n<p>%s <time datetime=\"%s\">"
	    "%s</time>%s</p>\n", TR(l, "Over deze verklaring",
	    "About this statement"), TR(l, "Deze verklaring werd opgesteld op",
	    "This statement was prepared on"), STATEMENTS_A11Y_REVIEWED,
	    TR(l, STATEMENTS_A11Y_REVIEWED_NL, STATEMENTS_A11Y_REVIEWED_EN),
	    TR(l, ", op basis van een eigen beoordeling met de tests "
	    "hierboven.", ", from a self-assessment with the tests above."));
	html_fmt(h, "<p><a href=\"/%s\">%s</a></p>\n", lq, TR(l, "Naar alle "
	    "activiteiten", "To all events"));
	page_close(h, c);
}
