package balticai.rules.licence_test

import data.balticai.rules.licence
import data.balticai.testing

_base(model, base) := testing.with_job({"model": model, "baseModel": base})

_llama := {"name": "Llama-3.1-8B", "version": "3.1", "licence": "LicenseRef-Llama-3.1-Community"}

_nc_base := {"name": "pl-nc-base", "version": "1", "licence": "CC-BY-NC-4.0"}

test_allow_job_without_base_model if {
	count(_deny(testing.with_job({"baseModel": null}))) == 0
}

test_allow_fine_tuning_a_permissive_base_model_under_a_permissive_licence if {
	count(_deny(_base({"licence": "Apache-2.0"}, {"name": "bert-base", "licence": "Apache-2.0"}))) == 0
}

test_allow_commercial_fine_tuning_of_a_commercial_base_model if {
	inp := testing.patch({"job": {"purpose": "commercial", "commercial": true, "model": {"licence": "LicenseRef-Llama-3.1-Community"}, "baseModel": _llama}})
	count(_deny(inp)) == 0
}

test_allow_nc_base_model_for_research_under_an_nc_licence if {
	count(_deny(_base({"licence": "CC-BY-NC-4.0"}, _nc_base))) == 0
}

test_deny_base_model_without_licence if {
	reasons := _deny(_base({"licence": "Apache-2.0"}, {"name": "mystery-base", "version": "1"}))
	testing.rule_ids(reasons) == {"licence-propagation"}
	some r in reasons
	contains(r.message, "names no licence")
}

test_deny_base_model_with_unknown_licence if {
	some r in _deny(_base({"licence": "Apache-2.0"}, {"name": "odd-base", "licence": "LicenseRef-Unheard-Of"}))
	contains(r.message, "of the base model odd-base has no terms")
}

test_deny_commercial_job_on_nc_base_model if {
	inp := testing.patch({"job": {"purpose": "commercial", "commercial": true, "model": {"licence": "CC-BY-NC-4.0"}, "baseModel": _nc_base}})
	reasons := _deny(inp)
	count(reasons) == 1
	some r in reasons
	contains(r.message, "of the base model pl-nc-base excludes commercial use")
}

test_deny_model_licence_broader_than_nc_base_model if {
	some r in _deny(_base({"licence": "Apache-2.0"}, _nc_base))
	r.message == "the planned model licence Apache-2.0 is broader than licence CC-BY-NC-4.0 of the base model pl-nc-base: it allows commercial use"
}

test_deny_nd_base_model if {
	some r in _deny(_base({"licence": "CC-BY-ND-4.0"}, {"name": "nd-base", "licence": "CC-BY-ND-4.0"}))
	contains(r.message, "forbids derivatives")
}

test_deny_other_licence_than_share_alike_base_model if {
	some r in _deny(_base({"licence": "Apache-2.0"}, {"name": "sa-base", "licence": "CC-BY-SA-4.0"}))
	contains(r.message, "requires derived models to keep it")
}

test_deny_unknown_planned_licence_under_nc_base_model if {
	reasons := _deny(_base({"licence": "LicenseRef-Secret"}, _nc_base))
	reasons == {{"rule": "licence-propagation", "message": "the planned model licence LicenseRef-Secret has no terms in data.balticai.licences", "source": "AI Act Annex XI 1.1"}}
}

test_nc_base_model_makes_the_model_inherit_non_commercial_even_without_a_planned_licence if {
	inp := _base({"name": "pl-nc-tuned", "licence": null}, _nc_base)
	count(_deny(inp)) == 0
	{"type": "model-inherits-non-commercial", "baseModel": "pl-nc-base", "licence": "CC-BY-NC-4.0"} in _obligations(inp)
}

test_deny_other_licence_than_the_licence_a_base_model_requires_its_derivatives_to_carry if {
	some r in _deny(_base({"licence": "Apache-2.0"}, _llama))
	r.message == "the planned model licence Apache-2.0 is broader than licence LicenseRef-Llama-3.1-Community of the base model Llama-3.1-8B: the base model's licence requires derived models to keep it"
}

# The dataset's own non-commercial obligation stands, so the check below has an obligation to look at.
test_permissive_base_model_sets_no_non_commercial_obligation if {
	inp := object.union(
		_base({"licence": "CC-BY-NC-4.0"}, {"name": "bert-base", "licence": "Apache-2.0"}),
		{"dataset": {"licensing": {"licence": "CC-BY-NC-4.0"}}},
	)
	{"type": "model-inherits-non-commercial", "dataset": "ds-speakleash-pl-public@2026.10"} in _obligations(inp)
	every o in _obligations(inp) {
		not o.baseModel
	}
}
