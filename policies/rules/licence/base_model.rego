# Licence propagation from the base model. The package's METADATA block is in licence.rego: OPA
# refuses a second package-scoped block for one package ("package annotation redeclared").
package balticai.rules.licence

import data.balticai.lib

_base_model := object.get(lib.job, "baseModel", null)

_base_name := object.get(_base_model, "name", "unnamed")

_base_licence := object.get(_base_model, "licence", null)

_base_terms := data.balticai.licences[_base_licence]

default _base_non_commercial := false

_base_non_commercial if _base_terms.commercialUse == false

_base_non_commercial if _base_terms.researchOnly == true

# METADATA
# title: Base model licence not met
# description: Reasons for an unknown or missing base model licence, commercial use of an NC base model, an ND base model and a broader model licence.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	is_object(_base_model)
	not lib.present(_base_licence)
	msg := sprintf("the base model %v names no licence, so what its licence carries forward cannot be checked", [_base_name])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.present(_base_licence)
	not _base_terms
	msg := sprintf("licence %v of the base model %v has no terms in data.balticai.licences", [_base_licence, _base_name])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.commercial_job
	_base_non_commercial
	msg := sprintf("licence %v of the base model %v excludes commercial use and the job is commercial", [_base_licence, _base_name])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_base_terms.derivatives == false
	msg := sprintf("licence %v of the base model %v forbids derivatives, and a trained model is one", [_base_licence, _base_name])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	some broader in _broader_than_base
	msg := sprintf("the planned model licence %v is broader than licence %v of the base model %v: %s", [_model_licence, _base_licence, _base_name, broader])
}

# Worded as the dataset's check words it: a reason both raise is listed once.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_base_carries_forward
	lib.present(_model_licence)
	not _model_terms
	msg := sprintf("the planned model licence %v has no terms in data.balticai.licences", [_model_licence])
}

_base_carries_forward if _base_non_commercial

_base_carries_forward if _base_terms.shareAlike == true

_base_carries_forward if _base_terms.modelLicence == true

_broader_than_base contains "it allows commercial use" if {
	_base_non_commercial
	object.get(_model_terms, "commercialUse", false) == true
}

_broader_than_base contains "the base model's licence requires derived models to keep it" if {
	_base_terms.shareAlike == true
	lib.present(_model_licence)
	_model_licence != _base_licence
}

_broader_than_base contains "the base model's licence requires derived models to keep it" if {
	_base_terms.modelLicence == true
	lib.present(_model_licence)
	_model_licence != _base_licence
}

# METADATA
# title: The model inherits the base model's non-commercial terms
# description: Whatever licence the job plans (or none), a model fine-tuned from a non-commercial or research-only base model is not for commercial use.
obligations contains {"type": "model-inherits-non-commercial", "baseModel": _base_name, "licence": _base_licence} if {
	_base_non_commercial
}
