# METADATA
# title: Licence propagation
# description: >-
#   Licence terms come from data.balticai.licences (keyed by SPDX id or LicenseRef-*). A dataset
#   whose licence terms are unknown is not released; non-commercial terms keep it from commercial
#   jobs; no-derivatives terms need a licence that permits training. A model's licence may not be
#   broader than its inputs': NC, ND, share-alike and model-licence terms carry forward as
#   obligations, and a job that declares a broader model licence is denied. A fine-tuned model is
#   derived from its base model as much as from its data, so the base model's licence terms carry
#   forward like a dataset's (base_model.rego): a base model whose licence is unknown or not named
#   cannot be checked and is refused; non-commercial terms keep it from commercial jobs;
#   no-derivatives terms forbid training on it; the planned model licence may not be broader than
#   the base model's. A job without a base model (trained from scratch) is not concerned.
# custom:
#   rule: licence-propagation
#   sources:
#     - AI Act Annex XI 1.1
package balticai.rules.licence

import data.balticai.lib

_rule := "licence-propagation"

_source := "AI Act Annex XI 1.1"

_model_licence := object.get(lib.job, ["model", "licence"], null)

_model_terms := data.balticai.licences[_model_licence]

_carries_forward if lib.commercial_use_excluded

_carries_forward if lib.no_derivatives

_carries_forward if lib.share_alike

_carries_forward if lib.licence_terms.modelLicence == true

# METADATA
# title: Licence terms not met
# description: Reasons for unknown licences, commercial use of NC data, ND data and broader model licences.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.present(lib.licence_id)
	not lib.licence_terms
	msg := sprintf("licence %v of dataset %s has no terms in data.balticai.licences", [lib.licence_id, lib.dataset_id])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.commercial_job
	lib.commercial_use_excluded
	not lib.has_evidence("publisherLicence")
	msg := sprintf("licence %v of dataset %s excludes commercial use and the job is commercial", [lib.licence_id, lib.dataset_id])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.no_derivatives
	not lib.has_evidence("publisherLicence")
	msg := sprintf("licence %v of dataset %s forbids derivatives and no licence permitting training is recorded", [lib.licence_id, lib.dataset_id])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.present(_model_licence)
	_carries_forward
	not _model_terms
	msg := sprintf("the planned model licence %v has no terms in data.balticai.licences", [_model_licence])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	some broader in _broader
	msg := sprintf("the planned model licence %v is broader than licence %v of dataset %s: %s", [_model_licence, lib.licence_id, lib.dataset_id, broader])
}

_broader contains "it allows commercial use" if {
	lib.commercial_use_excluded
	object.get(_model_terms, "commercialUse", false) == true
}

_broader contains "share-alike requires the same licence" if {
	lib.share_alike
	lib.present(_model_licence)
	_model_licence != lib.licence_id
}

_broader contains "the licence requires derived models to keep it" if {
	lib.licence_terms.modelLicence == true
	lib.present(_model_licence)
	_model_licence != lib.licence_id
}

# METADATA
# title: Licence terms carried forward to the model
# description: The model licence may be at most as broad as this dataset's licence.
obligations contains o if {
	_carries_forward
	o := {
		"type": "model-licence-at-most",
		"dataset": lib.dataset_id,
		"licence": lib.licence_id,
		"nonCommercial": lib.commercial_use_excluded,
		"noDerivatives": lib.no_derivatives,
		"shareAlike": lib.share_alike,
	}
}

obligations contains {"type": "model-inherits-non-commercial", "dataset": lib.dataset_id} if {
	lib.commercial_use_excluded
}
