package balticai.access_test

import data.balticai.access
import data.balticai.testing

_decision(inp) := d if {
	d := access.decision with input as inp with data.balticai.settings as testing.settings with data.balticai.countries as testing.countries with data.balticai.residency as testing.residency with data.balticai.authorities as testing.authorities with data.balticai.licences as testing.licences
}

test_allow_documented_public_domain_corpus if {
	d := _decision(testing.base_input)
	d.allow == true
	d.reasons == []
	[o.type | some o in d.obligations] == ["record-decision"]
}

test_allow_decision_has_exactly_three_keys if {
	object.keys(_decision(testing.base_input)) == {"allow", "reasons", "obligations"}
}

test_deny_lists_every_violated_rule if {
	inp := testing.patch({
		"dataset": {
			"status": "withdrawn",
			"documentation": {"collectionMethod": null},
			"sector": {"classified": true},
		},
		"time": null,
	})
	d := _decision(inp)
	d.allow == false
	{r.rule | some r in d.reasons} == {"classified-never-released", "documented-origin", "record-keeping", "withdrawn-dataset"}
}

test_deny_reasons_are_sorted_by_rule if {
	inp := testing.patch({"dataset": {"status": "withdrawn", "sector": {"classified": true}, "documentation": {"origin": null}}})
	rules := [r.rule | some r in _decision(inp).reasons]
	rules == ["classified-never-released", "documented-origin", "withdrawn-dataset"]
}

test_deny_reasons_carry_message_and_source if {
	d := _decision(testing.with_dataset({"status": "withdrawn"}))
	d.reasons == [{
		"rule": "withdrawn-dataset",
		"message": "dataset ds-speakleash-pl-public@2026.10 has status withdrawn and is not released",
		"source": "GDPR Arts. 17, 21; EDPB Opinion 28/2024",
	}]
}

test_deny_without_input if {
	d := access.decision with input as {} with data.balticai.settings as testing.settings with data.balticai.countries as testing.countries with data.balticai.residency as testing.residency with data.balticai.authorities as testing.authorities with data.balticai.licences as testing.licences
	d.allow == false
	count(d.reasons) > 3
}

test_allow_obligations_are_sorted_by_type if {
	inp := testing.patch({"dataset": {"licensing": {"licence": "CC-BY-NC-4.0"}}, "job": {"generalPurposeModel": true, "model": {"licence": "CC-BY-NC-4.0"}}})
	d := _decision(inp)
	d.allow == true
	[o.type | some o in d.obligations] == ["model-inherits-non-commercial", "model-licence-at-most", "record-decision", "record-gpai-summary"]
}
