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

/* The QR code's PNG, inline, named by the HTML's cid:. */
static GMimeObject *
png_part(const struct mail_text *m)
{
	GMimePart *p = g_mime_part_new_with_type("image", "png");
	GMimeStream *st;
	GMimeDataWrapper *w;

	st = g_mime_stream_mem_new_with_buffer((const char *)m->qr_png,
	    m->qr_png_len);
	w = g_mime_data_wrapper_new_with_stream(st,
	    GMIME_CONTENT_ENCODING_DEFAULT);
	g_object_unref(st);
	g_mime_part_set_content(p, w);
	g_object_unref(w);
	g_mime_part_set_content_encoding(p, GMIME_CONTENT_ENCODING_BASE64);
	g_mime_object_set_disposition(GMIME_OBJECT(p), "inline");
	g_mime_part_set_filename(p, "checkin.png");
	g_mime_part_set_content_id(p, m->qr_cid);
	return GMIME_OBJECT(p);
}

char *
mail_message(const struct mail_envelope *env, const struct mail_text *m,
    const char *ics, size_t icslen, size_t *lenp)
{
	GMimeMessage *msg;
	GMimeMultipart *alt, *mixed = NULL, *related = NULL;
	GMimeObject *part, *cal, *body;
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
	body = GMIME_OBJECT(alt);

	if (m->qr_png != NULL && m->qr_cid != NULL) {
		related = g_mime_multipart_new_with_subtype("related");
		g_mime_object_set_content_type_parameter(GMIME_OBJECT(related),
		    "type", "multipart/alternative");
		g_mime_multipart_add(related, GMIME_OBJECT(alt));
		part = png_part(m);
		g_mime_multipart_add(related, part);
		g_object_unref(part);
		body = GMIME_OBJECT(related);
	}

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
		g_mime_multipart_add(mixed, body);
		g_mime_multipart_add(mixed, cal);
		g_object_unref(cal);
		g_mime_message_set_mime_part(msg, GMIME_OBJECT(mixed));
	} else
		g_mime_message_set_mime_part(msg, body);

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
	if (related != NULL)
		g_object_unref(related);
	g_object_unref(alt);
	g_object_unref(msg);
	return out;
}
