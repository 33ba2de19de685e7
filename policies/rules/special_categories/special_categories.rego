# METADATA
# title: Special categories of personal data
# description: >-
#   Health, genetic, biometric, religious and other special-category data are blocked unless an
#   Art. 9 exception is recorded (terms.evidence.art9Exception); personal data recorded as electronic
#   health data (sector.health) are health data whether or not the category is listed. The narrow AI Act Art. 10(5) route
#   for bias detection in high-risk systems needs pseudonymised data and yields obligations: keep the
#   data on site and delete them after the configured number of days.
# custom:
#   rule: special-categories
#   sources:
#     - GDPR Art. 9
#     - AI Act Art. 10(5)
package balticai.rules.special_categories

import data.balticai.lib

_rule := "special-categories"

_source := "GDPR Art. 9; AI Act Art. 10(5)"

_categories := concat(", ", sort(lib.special_categories))

_exception if lib.has_evidence("art9Exception")

_bias_testing if {
	lib.job.purpose == lib.settings.biasTesting.purpose
	lib.job.highRiskSystem == true
}

# METADATA
# title: Special categories without an exception
# description: Reasons when special-category data reach a job without an Art. 9 exception.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	count(lib.special_categories) > 0
	not _exception
	not _bias_testing
	msg := sprintf("dataset %s holds special categories (%s) and no Art. 9 exception is recorded", [lib.dataset_id, _categories])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	count(lib.special_categories) > 0
	not _exception
	_bias_testing
	not lib.present(lib.pseudonymisation)
	msg := sprintf("bias testing on dataset %s (AI Act Art. 10(5)) needs pseudonymised special-category data", [lib.dataset_id])
}

# METADATA
# title: Conditions of the bias-testing route
# description: Obligations that bind a job using special categories under AI Act Art. 10(5).
obligations contains o if {
	count(lib.special_categories) > 0
	not _exception
	_bias_testing
	some o in [
		{"type": "pseudonymise", "dataset": lib.dataset_id, "method": lib.pseudonymisation},
		{"type": "keep-on-site", "dataset": lib.dataset_id, "site": object.get(lib.site, "id", null), "reason": "bias-testing"},
		{"type": "delete-after-days", "dataset": lib.dataset_id, "days": lib.settings.biasTesting.deleteAfterDays, "reason": "bias-testing"},
	]
}
