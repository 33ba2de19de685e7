# METADATA
# title: National residency and classified data
# description: >-
#   Classified data are never released. Public-sector data at or above a country's residency
#   threshold (data.balticai.residency[countryOfOrigin].domesticFrom, in the order of its classes)
#   stay on infrastructure in that country, or in its data embassy where the country allows one
#   (Estonia). An owner's explicit residency constraint (eu, eea, national, countries) is honoured
#   too, and the job must run on the site the decision was asked for.
# custom:
#   rule: national-residency
#   sources:
#     - National rules (PL SCCO classes, EE E-ITS and data embassy, LT critical state data, LV)
#     - Data owner's residency constraint
package balticai.rules.residency

import data.balticai.lib

_country := lib.dataset_get("countryOfOrigin")

_scheme := data.balticai.residency[_country]

_class := lib.dataset_get(["sector", "securityClass"])

_site_country := object.get(lib.site, "country", null)

_level(class) := i if {
	some i, c in _scheme.classes
	c == class
}

_domestic if _level(_class) >= _level(_scheme.domesticFrom)

_on_national_infrastructure if _site_country == _country

_on_national_infrastructure if {
	_scheme.dataEmbassyAllowed == true
	lib.site.dataEmbassy == true
	lib.site.dataEmbassyFor == _country
}

# METADATA
# title: Residency violations
# description: Reasons for classified data, data above the national threshold off national infrastructure, unknown classes and unmet owner constraints.
deny contains {"rule": "classified-never-released", "message": msg, "source": "National rules on classified information"} if {
	lib.dataset_get(["sector", "classified"]) == true
	msg := sprintf("dataset %s is classified and is never released to a training job", [lib.dataset_id])
}

deny contains {"rule": "national-residency", "message": msg, "source": _national_source} if {
	_domestic
	not _on_national_infrastructure
	msg := sprintf("dataset %s has class %v: %s; site %v is in %v", [lib.dataset_id, _class, _scheme.requirement, object.get(lib.site, "id", null), _site_country])
}

deny contains {"rule": "national-residency", "message": msg, "source": _national_source} if {
	lib.present(_class)
	_scheme
	not _level(_class)
	msg := sprintf("dataset %s has security class %v, which the %s scheme does not know", [lib.dataset_id, _class, _scheme.scheme])
}

deny contains {"rule": "national-residency", "message": msg, "source": "National rules (data.balticai.residency)"} if {
	lib.present(_class)
	not _scheme
	msg := sprintf("dataset %s has security class %v but no residency scheme is configured for country %v", [lib.dataset_id, _class, _country])
}

_national_source := sprintf("National rules: %s", [_scheme.source])

_constraint := lib.dataset_get(["residency", "constraint"])

_constraint_met("none") := true

_constraint_met("eu") if _site_country in lib.eu

_constraint_met("eea") if _site_country in lib.eea

_constraint_met("national") if _site_country == _country

_constraint_met("countries") if _site_country in lib.dataset.residency.countries

deny contains {"rule": "residency-constraint", "message": msg, "source": "Data owner's residency constraint"} if {
	lib.present(_constraint)
	not _constraint_met(_constraint)
	msg := sprintf("dataset %s must stay within its residency constraint %v; site %v is in %v", [lib.dataset_id, _constraint, object.get(lib.site, "id", null), _site_country])
}

deny contains {"rule": "site-identity", "message": msg, "source": "AI Act Art. 12 (traceability of the decision)"} if {
	lib.job.site != lib.site.id
	msg := sprintf("job %v runs on site %v but the decision was asked for site %v", [object.get(lib.job, "id", null), lib.job.site, lib.site.id])
}

# METADATA
# title: Data above the national threshold stay where they are processed
# description: Keep-on-site obligation carrying the country's rule for foreign copies.
obligations contains o if {
	_domestic
	_on_national_infrastructure
	o := {
		"type": "keep-on-site",
		"dataset": lib.dataset_id,
		"site": object.get(lib.site, "id", null),
		"reason": "national-residency",
		"foreignCopies": object.get(_scheme, "foreignCopies", "none"),
	}
}
