package balticai.access_test

import data.balticai.access
import data.balticai.testing

# The decision fixtures shared with the broker's C# tests (policies/fixtures/*.json and
# expected.json; the inputs are mirrored in fixtures_data_test.rego).

_fixture_decision(name) := d if {
	d := access.decision with input as _fixture_inputs[name] with data.balticai.settings as testing.settings with data.balticai.countries as testing.countries with data.balticai.residency as testing.residency with data.balticai.authorities as testing.authorities with data.balticai.licences as testing.licences
}

# _as_expected(name): allow, the set of reason rule ids and (for allowed fixtures) the set of
# obligation types are exactly those in expected.json.
_as_expected(name) if {
	d := _fixture_decision(name)
	expected := _fixture_expected[name]
	d.allow == expected.allow
	{r.rule | some r in d.reasons} == {r | some r in expected.rules}
	_obligations_as_expected(d, expected)
}

_obligations_as_expected(_, expected) if not "obligations" in object.keys(expected)

_obligations_as_expected(d, expected) if {
	{o.type | some o in d.obligations} == {t | some t in expected.obligations}
}

_obligation(name, kind) := o if {
	some o in _fixture_decision(name).obligations
	o.type == kind
}

test_deny_research_only_corpus_for_commercial_job if {
	_as_expected("pllum-research-only-commercial")
}

test_allow_research_only_corpus_for_research_job_with_non_commercial_obligation if {
	_as_expected("pllum-research-only-research")
	_obligation("pllum-research-only-research", "model-inherits-non-commercial").dataset == "ds-pllum-corpus-research@2025.02"
	_obligation("pllum-research-only-research", "model-licence-at-most").nonCommercial == true
}

test_deny_publisher_corpus_with_tdm_opt_out_for_commercial_job if {
	_as_expected("publisher-tdm-optout-commercial")
	reasons := _fixture_decision("publisher-tdm-optout-commercial").reasons
	some r in reasons
	contains(r.message, "reserves text and data mining")
}

test_deny_health_data_without_permit if {
	_as_expected("health-without-permit")
}

test_allow_health_data_with_permit_on_accredited_site if {
	_as_expected("health-with-permit")
	_obligation("health-with-permit", "pseudonymise").method == "keyed-hash by the health data access body"
	_obligation("health-with-permit", "keep-on-site").site == "pl-pcss-spe"
}

test_deny_lithuanian_critical_data_on_polish_site if {
	_as_expected("lt-critical-on-polish-site")
	some r in _fixture_decision("lt-critical-on-polish-site").reasons
	contains(r.message, "processed only on Lithuanian sites")
	contains(r.message, "encrypted backups only")
}

test_deny_personal_data_for_other_purpose_without_assessment if {
	_as_expected("purpose-differs-without-assessment")
}

test_allow_personal_data_for_other_purpose_with_assessment if {
	_as_expected("purpose-differs-with-assessment")
	_obligation("purpose-differs-with-assessment", "record-decision").authorities == ["lv-dvi", "lv-ptac", "pl-kribsi", "pl-uodo"]
}

test_deny_model_licence_broader_than_non_commercial_corpus if {
	_as_expected("nc-corpus-broader-model-licence")
}

test_deny_commercial_job_on_research_only_base_model if {
	_as_expected("research-base-model-commercial")
	some r in _fixture_decision("research-base-model-commercial").reasons
	r.rule == "research-only"
	contains(r.message, "base model pllum-8b-research")
}
