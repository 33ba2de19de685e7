package balticai.rules.licence_test

import data.balticai.rules.licence
import data.balticai.testing

_deny(inp) := d if {
	d := licence.deny with input as inp with data.balticai.settings as testing.settings with data.balticai.licences as testing.licences
}

_obligations(inp) := o if {
	o := licence.obligations with input as inp with data.balticai.settings as testing.settings with data.balticai.licences as testing.licences
}

_commercial := {"purpose": "commercial", "commercial": true, "model": {"licence": "Apache-2.0"}}

test_allow_permissive_licence_for_commercial_job if {
	inp := testing.with_job(_commercial)
	count(_deny(inp)) == 0
	count(_obligations(inp)) == 0
}

test_allow_nc_licence_for_research_job_with_obligations if {
	inp := testing.patch({"dataset": {"licensing": {"licence": "CC-BY-NC-4.0"}}, "job": {"model": {"licence": "CC-BY-NC-4.0"}}})
	count(_deny(inp)) == 0
	testing.obligation_types(_obligations(inp)) == {"model-licence-at-most", "model-inherits-non-commercial"}
	some o in _obligations(inp)
	o.type == "model-licence-at-most"
	o.licence == "CC-BY-NC-4.0"
	o.nonCommercial == true
	o.shareAlike == false
}

test_allow_share_alike_with_same_model_licence if {
	inp := testing.patch({"dataset": {"licensing": {"licence": "CC-BY-SA-4.0"}}, "job": {"model": {"licence": "CC-BY-SA-4.0"}}})
	count(_deny(inp)) == 0
	some o in _obligations(inp)
	o.shareAlike == true
}

test_allow_share_alike_without_declared_model_licence if {
	inp := testing.patch({"dataset": {"licensing": {"licence": "CC-BY-SA-4.0"}}, "job": {"model": {"licence": null}}})
	count(_deny(inp)) == 0
	testing.obligation_types(_obligations(inp)) == {"model-licence-at-most"}
}

test_allow_nd_licence_with_publisher_licence if {
	inp := testing.with_dataset({"licensing": {"licence": "CC-BY-ND-4.0"}, "terms": {"evidence": {"publisherLicence": "training licence 2026-3"}}})
	count(_deny(inp)) == 0
}

test_allow_model_licence_that_keeps_the_inputs_model_licence if {
	llama := "LicenseRef-Llama-3.1-Community"
	inp := testing.patch({"dataset": {"licensing": {"licence": llama}}, "job": {"model": {"licence": llama}}})
	count(_deny(inp)) == 0
	testing.obligation_types(_obligations(inp)) == {"model-licence-at-most"}
}

test_deny_model_licence_dropping_the_inputs_model_licence if {
	inp := testing.patch({"dataset": {"licensing": {"licence": "LicenseRef-Llama-3.1-Community"}}, "job": {"model": {"licence": "Apache-2.0"}}})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"licence-propagation"}
	some r in reasons
	contains(r.message, "requires derived models to keep it")
}

test_deny_unknown_licence if {
	inp := testing.with_dataset({"licensing": {"licence": "LicenseRef-Unheard-Of"}})
	some r in _deny(inp)
	r.rule == "licence-propagation"
	contains(r.message, "has no terms")
}

test_deny_nc_licence_for_commercial_job if {
	inp := testing.patch({"dataset": {"licensing": {"licence": "CC-BY-NC-4.0"}}, "job": _commercial})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"licence-propagation"}
	some r in reasons
	contains(r.message, "excludes commercial use")
}

test_deny_nc_restriction_for_commercial_job if {
	inp := testing.patch({"dataset": {"licensing": {"restrictions": ["NC"]}}, "job": {"purpose": "commercial", "commercial": true, "model": {"licence": "CC-BY-NC-4.0"}}})
	reasons := _deny(inp)
	count(reasons) == 1
	some r in reasons
	contains(r.message, "excludes commercial use")
}

test_deny_nd_licence_without_licence_for_training if {
	inp := testing.with_dataset({"licensing": {"licence": "CC-BY-ND-4.0"}})
	some r in _deny(inp)
	contains(r.message, "forbids derivatives")
}

test_deny_model_licence_broader_than_nc_input if {
	inp := testing.with_dataset({"licensing": {"licence": "CC-BY-NC-4.0"}})
	some r in _deny(inp)
	contains(r.message, "allows commercial use")
}

test_deny_model_licence_other_than_share_alike if {
	inp := testing.with_dataset({"licensing": {"licence": "CC-BY-SA-4.0"}})
	some r in _deny(inp)
	contains(r.message, "share-alike")
}

test_deny_unknown_model_licence if {
	inp := testing.patch({"dataset": {"licensing": {"licence": "CC-BY-SA-4.0"}}, "job": {"model": {"licence": "LicenseRef-Secret"}}})
	some r in _deny(inp)
	contains(r.message, "planned model licence")
}

test_allow_common_open_licences_for_commercial_job if {
	every id in ["CC-BY-3.0", "CC-BY-2.0", "ODC-By-1.0", "PDDL-1.0", "OGL-UK-3.0", "DL-DE-BY-2.0", "BSD-3-Clause", "CDLA-Permissive-2.0"] {
		count(_deny(testing.patch({"dataset": {"licensing": {"licence": id}}, "job": _commercial}))) == 0
	}
}

test_deny_earlier_non_commercial_cc_versions_for_commercial_job if {
	every id in ["CC-BY-NC-3.0", "CC-BY-NC-SA-2.0", "CC-BY-NC-ND-2.5"] {
		some r in _deny(testing.patch({"dataset": {"licensing": {"licence": id}}, "job": _commercial}))
		contains(r.message, "excludes commercial use")
	}
}

test_deny_copyleft_code_licence_as_without_terms if {
	some r in _deny(testing.with_dataset({"licensing": {"licence": "GPL-3.0-only"}}))
	r.rule == "licence-propagation"
	contains(r.message, "has no terms")
}

# The Creative Commons terms must say what their identifiers say (NC, ND, SA), in every version listed.
test_creative_commons_terms_follow_their_identifiers if {
	every id, terms in testing.licences {
		_cc_terms_match(id, terms)
	}
}

_cc_terms_match(id, _) if not startswith(id, "CC-BY")

_cc_terms_match(id, terms) if {
	startswith(id, "CC-BY")
	terms.commercialUse == _lacks(id, "-NC")
	terms.derivatives == _lacks(id, "-ND")
	terms.shareAlike == contains(id, "-SA")
}

_lacks(id, part) := false if {
	contains(id, part)
} else := true
