# METADATA
# title: Purpose limitation
# description: >-
#   Personal data need a lawful basis and the purpose they were collected for; a job whose purpose
#   differs needs a recorded compatibility assessment (terms.evidence.purposeCompatibility).
# custom:
#   rule: purpose-limitation
#   sources:
#     - GDPR Art. 5(1)(b)
#     - GDPR Art. 6
package balticai.rules.purpose

import data.balticai.lib

_rule := "purpose-limitation"

_source := "GDPR Arts. 5(1)(b), 6"

_lawful_basis := lib.dataset_get(["personalData", "lawfulBasis"])

_original_purpose := lib.dataset_get(["personalData", "originalPurpose"])

# METADATA
# title: Personal data used beyond their purpose
# description: One reason per unrecorded personal-data status, missing lawful basis, missing purpose or incompatible job purpose.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	not is_boolean(lib.dataset_get(["personalData", "contains"]))
	msg := sprintf("dataset %s does not record whether it contains personal data (personalData.contains)", [lib.dataset_id])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.personal_data
	not lib.present(_lawful_basis)
	msg := sprintf("dataset %s contains personal data without a recorded lawful basis", [lib.dataset_id])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.personal_data
	lib.present(_lawful_basis)
	not _lawful_basis in lib.settings.lawfulBases
	msg := sprintf("dataset %s records %v, which is not a GDPR Art. 6 lawful basis", [lib.dataset_id, _lawful_basis])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.personal_data
	not lib.present(_original_purpose)
	msg := sprintf("dataset %s contains personal data without the purpose they were collected for", [lib.dataset_id])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.personal_data
	lib.present(_original_purpose)
	lib.job.purpose != _original_purpose
	not lib.has_evidence("purposeCompatibility")
	msg := sprintf("job purpose %v differs from the original purpose %v of dataset %s and no compatibility assessment is recorded", [lib.job.purpose, _original_purpose, lib.dataset_id])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.personal_data
	not lib.present(object.get(lib.job, "purpose", null))
	msg := sprintf("job %v does not state its purpose", [object.get(lib.job, "id", null)])
}
