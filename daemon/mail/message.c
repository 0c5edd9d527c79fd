/*
 * mail/message.c - the MIME message, with GMime (see message.h).
 */
#include "autoconf.h"

#include <stdlib.h>
#include <string.h>

#include <gmime/gmime.h>

#include "mail/message.h"

void
mail_message_init(void)
{
	g_mime_init();
}

void
mail_message_shutdown(void)
{
	g_mime_shutdown();
}

static GMimeObject *
text_part(const char *subtype, const char *text, GMimeContentEncoding enc)
{
	GMimeTextPart *p = g_mime_text_part_new_with_subtype(subtype);

	g_mime_text_part_set_charset(p, "utf-8");
	g_mime_text_part_set_text(p, text);
	g_mime_part_set_content_encoding(GMIME_PART(p), enc);
	return GMIME_OBJECT(p);
}

char *
mail_message(const struct mail_envelope *env, const struct mail_text *m,
    const char *ics, size_t icslen, size_t *lenp)
{
	GMimeMessage *msg;
	GMimeMultipart *alt, *mixed = NULL;
	GMimeObject *part, *cal;
	GMimeFormatOptions *fo;
	GDateTime *now;
	const char *domain;
	char *id, *text, *icsz, *out = NULL;

	msg = g_mime_message_new(TRUE);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_FROM, "Leerkans",
	    env->from);
	g_mime_message_add_mailbox(msg, GMIME_ADDRESS_TYPE_TO, env->to_name,
	    env->to);
	g_mime_message_set_subject(msg, m->subject, "utf-8");
	now = g_date_time_new_now_utc();
	g_mime_message_set_date(msg, now);
	g_date_time_unref(now);
	domain = strchr(env->from, '@');
	id = g_mime_utils_generate_message_id(domain != NULL ? domain + 1 :
	    "leerkans.invalid");
	g_mime_message_set_message_id(msg, id);
	g_free(id);
	g_mime_object_set_header(GMIME_OBJECT(msg), "Auto-Submitted",
	    "auto-generated", NULL);

	alt = g_mime_multipart_new_with_subtype("alternative");
	part = text_part("plain", m->text, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	g_mime_multipart_add(alt, part);
	g_object_unref(part);
	part = text_part("html", m->html, GMIME_CONTENT_ENCODING_QUOTEDPRINTABLE);
	g_mime_multipart_add(alt, part);
	g_object_unref(part);

	if (ics != NULL) {
		if ((icsz = malloc(icslen + 1)) == NULL)
			goto done;
		memcpy(icsz, ics, icslen);
		icsz[icslen] = '\0';
		cal = text_part("calendar", icsz, GMIME_CONTENT_ENCODING_BASE64);
		free(icsz);
		g_mime_object_set_content_type_parameter(cal, "method",
		    m->method == ICS_CANCEL ? "CANCEL" : "REQUEST");
		g_mime_part_set_filename(GMIME_PART(cal),
		    m->method == ICS_CANCEL ? "cancel.ics" : "invite.ics");
		mixed = g_mime_multipart_new_with_subtype("mixed");
		g_mime_multipart_add(mixed, GMIME_OBJECT(alt));
		g_mime_multipart_add(mixed, cal);
		g_object_unref(cal);
		g_mime_message_set_mime_part(msg, GMIME_OBJECT(mixed));
	} else
		g_mime_message_set_mime_part(msg, GMIME_OBJECT(alt));

	fo = g_mime_format_options_new();
	g_mime_format_options_set_newline_format(fo, env->crlf ?
	    GMIME_NEWLINE_FORMAT_DOS : GMIME_NEWLINE_FORMAT_UNIX);
	text = g_mime_object_to_string(GMIME_OBJECT(msg), fo);
	g_mime_format_options_free(fo);
	if (text != NULL) {
		*lenp = strlen(text);
		out = strdup(text);
		g_free(text);
	}
done:
	if (mixed != NULL)
		g_object_unref(mixed);
	g_object_unref(alt);
	g_object_unref(msg);
	return out;
}
