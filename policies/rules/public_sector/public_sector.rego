# METADATA
# title: Protected public-sector data
# description: >-
#   Public-sector data that are protected (commercial or statistical confidentiality, third-party
#   intellectual property, or personal data) are re-used only under the holder's published
#   conditions (terms.reuseConditions): a reference to them, their permitted purposes, their secure
#   processing environment requirement and their allowed countries.
# custom:
#   rule: public-sector-conditions
#   sources:
#     - Data Governance Act Art. 5
package balticai.rules.public_sector

import data.balticai.lib

_rule := "public-sector-conditions"

_source := "Data Governance Act Art. 5"

_conditions := object.get(lib.dataset, ["terms", "reuseConditions"], {})

_protected if {
	lib.dataset_get(["sector", "publicSector"]) == true
	count(object.get(lib.dataset, ["sector", "protectedCategories"], [])) > 0
}

_protected if {
	lib.dataset_get(["sector", "publicSector"]) == true
	lib.personal_data
}

_accreditation := lib.settings.publicSector.requiredAccreditation

# METADATA
# title: Re-use outside the holder's conditions
# description: One reason per unmet published condition.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_protected
	not lib.present(object.get(_conditions, "reference", null))
	msg := sprintf("dataset %s is protected public-sector data and the holder's re-use conditions are not recorded", [lib.dataset_id])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_protected
	purposes := object.get(_conditions, "permittedPurposes", [])
	count(purposes) > 0
	not lib.job.purpose in purposes
	msg := sprintf("the holder's conditions for dataset %s do not permit purpose %v", [lib.dataset_id, object.get(lib.job, "purpose", null)])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_protected
	object.get(_conditions, "secureProcessingEnvironment", false) == true
	not lib.site_accredited(_accreditation)
	msg := sprintf("the holder's conditions for dataset %s require a secure processing environment; site %v is not accredited", [lib.dataset_id, object.get(lib.site, "id", null)])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_protected
	countries := object.get(_conditions, "allowedCountries", [])
	count(countries) > 0
	not lib.site.country in countries
	msg := sprintf("the holder's conditions for dataset %s do not allow processing in %v", [lib.dataset_id, object.get(lib.site, "country", null)])
}

# METADATA
# title: The holder's conditions bind the job
# description: The job follows the referenced conditions; a required secure processing environment keeps data on site.
obligations contains o if {
	_protected
	o := {"type": "follow-reuse-conditions", "dataset": lib.dataset_id, "reference": object.get(_conditions, "reference", null)}
}

obligations contains o if {
	_protected
	object.get(_conditions, "secureProcessingEnvironment", false) == true
	o := {"type": "keep-on-site", "dataset": lib.dataset_id, "site": object.get(lib.site, "id", null), "reason": _accreditation}
}
