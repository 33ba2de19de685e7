# METADATA
# title: Health data (EHDS secondary use)
# description: >-
#   Electronic health data (sector.health, or personal data of a configured health category) need an
#   EHDS data permit (terms.evidence.dataPermit or sector.permitReference), a site accredited as a
#   secure processing environment and a purpose the EHDS allows. They are processed pseudonymised and
#   only inside that environment (obligations).
# custom:
#   rule: health-data-permit
#   sources:
#     - EHDS Reg. 2025/327 Arts. 53-54
package balticai.rules.health

import data.balticai.lib

_rule := "health-data-permit"

_source := "EHDS Reg. 2025/327 Arts. 53-54"

_health if lib.dataset_get(["sector", "health"]) == true

_health if {
	lib.personal_data
	some c in lib.special_categories
	c in lib.settings.health.categories
}

_permit if lib.has_evidence("dataPermit")

_permit if lib.present(lib.dataset_get(["sector", "permitReference"]))

_accreditation := lib.settings.health.requiredAccreditation

# METADATA
# title: Health data without the EHDS conditions
# description: One reason per missing permit, missing secure processing environment or disallowed purpose.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_health
	not _permit
	msg := sprintf("dataset %s holds health data and no EHDS data permit is recorded", [lib.dataset_id])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_health
	not lib.site_accredited(_accreditation)
	msg := sprintf("health data of dataset %s need a site accredited as %s; site %v is not", [lib.dataset_id, _accreditation, object.get(lib.site, "id", null)])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_health
	not lib.job.purpose in lib.settings.health.allowedPurposes
	msg := sprintf("job purpose %v is not a purpose the EHDS allows for health data of dataset %s", [object.get(lib.job, "purpose", null), lib.dataset_id])
}

_method := m if {
	m := lib.pseudonymisation
	lib.present(m)
} else := lib.settings.health.defaultPseudonymisation

# METADATA
# title: Health data stay pseudonymised inside the secure processing environment
# description: Pseudonymise (no re-identification) and keep the data on the accredited site.
obligations contains o if {
	_health
	lib.personal_data
	o := {"type": "pseudonymise", "dataset": lib.dataset_id, "method": _method}
}

obligations contains o if {
	_health
	o := {"type": "keep-on-site", "dataset": lib.dataset_id, "site": object.get(lib.site, "id", null), "reason": _accreditation}
}
