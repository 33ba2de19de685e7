# METADATA
# title: Data protection impact assessment
# description: >-
#   Large-scale processing of personal data (thresholds in data.balticai.settings.dpia: tokens,
#   bytes, data subjects) and any processing of special categories for training need a DPIA
#   reference (personalData.dpiaReference or terms.evidence.dpia).
# custom:
#   rule: dpia-required
#   sources:
#     - GDPR Art. 35
package balticai.rules.dpia

import data.balticai.lib

_rule := "dpia-required"

_source := "GDPR Art. 35"

_thresholds := lib.settings.dpia

_large_scale if count(lib.special_categories) > 0

_large_scale if lib.dataset_get(["content", "tokens"]) >= _thresholds.largeScaleTokens

_large_scale if lib.dataset_get(["content", "sizeBytes"]) >= _thresholds.largeScaleBytes

_large_scale if lib.dataset_get(["personalData", "dataSubjects"]) >= _thresholds.largeScaleDataSubjects

_dpia if lib.present(lib.dataset_get(["personalData", "dpiaReference"]))

_dpia if lib.has_evidence("dpia")

# METADATA
# title: Large-scale personal data without a DPIA
# description: A reason when large-scale or special-category personal data have no DPIA reference.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.personal_data
	_large_scale
	not _dpia
	msg := sprintf("dataset %s is large-scale or special-category personal data and no DPIA reference is recorded", [lib.dataset_id])
}
