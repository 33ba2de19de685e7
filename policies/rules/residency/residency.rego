# METADATA
# title: National residency and classified data
# description: >-
#   Classified data are never released. Public-sector data at or above a country's residency
#   threshold (data.balticai.residency[country].domesticFrom, in the order of its classes; the
#   country is the one whose scheme names the dataset's class, else the country of origin) stay on
#   infrastructure in that country on a site registered for the class or, where the scheme says so
#   (higherClassesHoldLower), for a higher class of it (site.securityClasses), or in its data embassy
#   where the country allows one (Estonia), and are stored only where the scheme lets copies be kept
#   (foreignCopies, foreignCopyCountries; data-embassy-only: at the storage site sites.json names as
#   the country's data embassy).
#   An owner's explicit residency constraint (eu, eea, eu-eea-nato, national, countries) is honoured too;
#   national also binds storage, where the state's own data embassy counts, and the job must run on
#   the site the decision was asked for.
# custom:
#   rule: national-residency
#   sources:
#     - National rules (PL SCCO classes, EE E-ITS and data embassy, LT critical state data, LV)
#     - Data owner's residency constraint
package balticai.rules.residency

import data.balticai.lib

_class := lib.dataset_get(["sector", "securityClass"])

# Class names are national (SCCO3, E-ITS-H, LT-CRITICAL), so the class says whose rules apply.
_country := c if {
	some c, scheme in data.balticai.residency
	_class in scheme.classes
} else := lib.dataset_get("countryOfOrigin")

_scheme := data.balticai.residency[_country]

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

_site_classes := object.get(lib.site, "securityClasses", [])

_site_holds_class if _class in _site_classes

# A scheme lists its classes in ascending order; where a higher class's requirements include the
# lower ones' (the scheme's higherClassesHoldLower), a site cleared for SCCO3 may hold SCCO2.
_site_holds_class if {
	_scheme.higherClassesHoldLower == true
	some held in _site_classes
	_level(held) >= _level(_class)
}

# A site holds the national classes it was registered for; a data embassy is the state's own
# infrastructure abroad and registers no classes of the country it stands in.
deny contains {"rule": "national-residency", "message": msg, "source": _national_source} if {
	_domestic
	_site_country == _country
	not _site_holds_class
	msg := sprintf("dataset %s has class %v and site %v is not registered to hold it (it holds %v)", [lib.dataset_id, _class, object.get(lib.site, "id", null), _site_classes])
}

_storage_country := lib.dataset_get(["storage", "country"])

_copy_countries contains c if {
	some entry in object.get(_scheme, "foreignCopyCountries", [])
	some c in _copy_group(entry)
}

_copy_group("eu") := lib.eu

_copy_group("eeaOutsideEu") := {c | some c in data.balticai.countries.eeaOutsideEu}

_copy_group("nato") := lib.nato

_copy_group(code) := {code} if not code in {"eu", "eeaOutsideEu", "nato"}

# The storage site as policies/data/sites.json records it; the registration API checks that it lies
# in the storage country, and so does this rule.
_stored_at_own_data_embassy if {
	site := data.balticai.sites[lib.dataset_get(["storage", "site"])]
	site.dataEmbassyFor == _country
	site.country == _storage_country
}

_stored_where_allowed if _storage_country == _country

_stored_where_allowed if {
	_scheme.foreignCopies == "data-embassy-only"
	_stored_at_own_data_embassy
}

_stored_where_allowed if {
	not object.get(_scheme, "foreignCopies", "none") in {"none", "data-embassy-only"}
	_storage_country in _copy_countries
}

deny contains {"rule": "national-residency", "message": msg, "source": _national_source} if {
	_domestic
	not _stored_where_allowed
	msg := sprintf("dataset %s has class %v: %s; it is stored in %v", [lib.dataset_id, _class, _scheme.requirement, _storage_country])
}

_national_source := sprintf("National rules: %s", [_scheme.source])

_constraint := lib.dataset_get(["residency", "constraint"])

_constraint_met("none") := true

_constraint_met("eu") if _site_country in lib.eu

_constraint_met("eea") if _site_country in lib.eea

_constraint_met("eu-eea-nato") if _site_country in (lib.eea | lib.nato)

_constraint_met("national") if _site_country == _country

_constraint_met("countries") if _site_country in lib.dataset.residency.countries

deny contains {"rule": "residency-constraint", "message": msg, "source": "Data owner's residency constraint"} if {
	lib.present(_constraint)
	not _constraint_met(_constraint)
	msg := sprintf("dataset %s must stay within its residency constraint %v; site %v is in %v%s", [lib.dataset_id, _constraint, object.get(lib.site, "id", null), _site_country, _embassy_note])
}

# The data embassy (Estonia-Luxembourg agreement, 2017) hosts copies of the state's data and keeps
# its own information systems running; a training job is neither, so an owner who asked for national
# residency is not taken to accept training outside the territory.
_embassy_note := sprintf(" (the data embassy of %v counts as national for storage, not for training)", [_country]) if {
	_constraint == "national"
	lib.site.dataEmbassyFor == _country
} else := ""

_stored_nationally if _storage_country == _country

_stored_nationally if _stored_at_own_data_embassy

deny contains {"rule": "residency-constraint", "message": msg, "source": "Data owner's residency constraint"} if {
	_constraint == "national"
	not _stored_nationally
	msg := sprintf("dataset %s must stay within its residency constraint national; it is stored in %v, neither in %v nor at its data embassy", [lib.dataset_id, _storage_country, _country])
}

_job_site := object.get(lib.job, "site", null)

_same_site if {
	lib.present(_job_site)
	_job_site == object.get(lib.site, "id", null)
}

deny contains {"rule": "site-identity", "message": msg, "source": "AI Act Art. 12 (traceability of the decision)"} if {
	not _same_site
	msg := sprintf("job %v runs on site %v but the decision was asked for site %v", [object.get(lib.job, "id", null), _job_site, object.get(lib.site, "id", null)])
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
