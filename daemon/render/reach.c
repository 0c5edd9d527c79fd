/*
 * render/reach.c - the reach report as lines of counts (reach.h).
 */
#include "autoconf.h"

#include <stdio.h>
#include <string.h>

#include <event2/buffer.h>

#include "render/export.h"
#include "render/reach.h"

/* In the order of lk_reach_part (migrations/functions/40_organiser.sql). */
const struct reach_line reach_lines[] = {
	{ NULL, "events", "Events (published)", "events" },
	{ NULL, "events_held", "Events held (ended)", "events_held" },
	{ NULL, "registrations", "Registrations", "registrations" },
	{ NULL, "attended", "Attended (checked in)", "attended" },
	{ NULL, "people", "Distinct people", "people" },
	{ NULL, "organisations", "Distinct organisations", "organisations" },
	{ NULL, NULL, "By role", NULL },
	{ "by_role", "employer", "  employer", "by_role.employer" },
	{ "by_role", "employee", "  employee", "by_role.employee" },
	{ "by_role", "job-seeker", "  job-seeker", "by_role.job-seeker" },
	{ "by_role", "intermediary", "  intermediary",
	  "by_role.intermediary" },
	{ "by_role", "training-provider", "  training-provider",
	  "by_role.training-provider" },
	{ "by_role", "student", "  student", "by_role.student" },
	{ "by_role", "citizen", "  citizen", "by_role.citizen" },
	{ "by_role", "other", "  other", "by_role.other" },
	{ NULL, NULL, "By organisation type", NULL },
	{ "by_organisation_type", "sme", "  sme", "by_organisation_type.sme" },
	{ "by_organisation_type", "large-company", "  large-company",
	  "by_organisation_type.large-company" },
	{ "by_organisation_type", "intermediary", "  intermediary",
	  "by_organisation_type.intermediary" },
	{ "by_organisation_type", "education", "  education",
	  "by_organisation_type.education" },
	{ "by_organisation_type", "government", "  government",
	  "by_organisation_type.government" },
	{ "by_organisation_type", "non-profit", "  non-profit",
	  "by_organisation_type.non-profit" },
	{ "by_organisation_type", "none", "  none",
	  "by_organisation_type.none" },
	{ NULL, NULL, "By region (arrondissement)", NULL },
	{ "by_region", "brugge", "  Brugge", "by_region.brugge" },
	{ "by_region", "diksmuide", "  Diksmuide", "by_region.diksmuide" },
	{ "by_region", "ieper", "  Ieper", "by_region.ieper" },
	{ "by_region", "kortrijk", "  Kortrijk", "by_region.kortrijk" },
	{ "by_region", "oostende", "  Oostende", "by_region.oostende" },
	{ "by_region", "roeselare", "  Roeselare", "by_region.roeselare" },
	{ "by_region", "tielt", "  Tielt", "by_region.tielt" },
	{ "by_region", "veurne", "  Veurne", "by_region.veurne" },
	{ NULL, "westhoek", "  Westhoek (Diksmuide, Ieper, Veurne)",
	  "westhoek" },
	{ "by_region", "outside-west-flanders", "  outside West Flanders",
	  "by_region.outside-west-flanders" },
	{ "by_region", "unknown", "  unknown or no postcode",
	  "by_region.unknown" },
};
const size_t reach_nlines = sizeof(reach_lines) / sizeof(reach_lines[0]);

long
reach_count(const json_t *counts, const struct reach_line *line)
{
	const json_t *v = line->group != NULL ?
	    json_object_get(json_object_get(counts, line->group), line->key) :
	    json_object_get(counts, line->key);

	return json_is_integer(v) ? (long)json_integer_value(v) : 0;
}

bool
reach_csv(struct evbuffer *out, const json_t *report, char delim, bool bom)
{
	const json_t *kinds = json_object_get(report, "kinds");
	const json_t *total = json_object_get(report, "total"), *k;
	size_t i, idx;

	if (!json_is_array(kinds) || !json_is_object(total))
		return false;
	json_array_foreach(kinds, idx, k)
		if (!json_is_string(json_object_get(k, "kind")) ||
		    !json_is_object(json_object_get(k, "counts")))
			return false;
	if (bom)
		evbuffer_add(out, "\xef\xbb\xbf", 3);
	evbuffer_add(out, "measure", 7);
	json_array_foreach(kinds, idx, k) {
		evbuffer_add(out, &delim, 1);
		export_csv_cell(out, json_string_value(json_object_get(k,
		    "kind")), delim);
	}
	evbuffer_add_printf(out, "%ctotal\r\n", delim);
	for (i = 0; i < reach_nlines; i++) {
		const struct reach_line *l = &reach_lines[i];

		if (l->key == NULL)
			continue;		/* a heading */
		export_csv_cell(out, l->measure, delim);
		json_array_foreach(kinds, idx, k)
			evbuffer_add_printf(out, "%c%ld", delim,
			    reach_count(json_object_get(k, "counts"), l));
		evbuffer_add_printf(out, "%c%ld\r\n", delim,
		    reach_count(total, l));
	}
	return true;
}
