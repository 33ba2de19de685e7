package balticai.rules.tdm_test

import data.balticai.rules.tdm
import data.balticai.testing

_deny(inp) := d if {
	d := tdm.deny with input as inp with data.balticai.settings as testing.settings
}

_commercial := {"purpose": "commercial", "commercial": true, "operator": {"type": "company"}}

_crawled := {"origin": {"sourceType": "crawled", "crawler": {"name": "speakleash-crawler"}}}

test_allow_public_source if {
	count(_deny(testing.with_job(_commercial))) == 0
}

test_allow_crawled_for_commercial_with_opt_out_evidence if {
	inp := testing.patch({
		"dataset": object.union(_crawled, {"origin": {"crawler": {"optOutEvidence": "robots.txt and TDMRep honoured, log 2026-05"}}}),
		"job": _commercial,
	})
	count(_deny(inp)) == 0
}

test_allow_crawled_for_research_without_evidence if {
	count(_deny(testing.with_dataset(_crawled))) == 0
}

test_allow_reserved_source_with_licence if {
	inp := testing.patch({
		"dataset": {"origin": {"tdmOptOut": true}, "terms": {"evidence": {"publisherLicence": "WP licence 2026/11"}}},
		"job": _commercial,
	})
	count(_deny(inp)) == 0
}

test_allow_reserved_source_for_research_organisation if {
	inp := testing.with_dataset({"origin": {"tdmOptOut": true}})
	count(_deny(inp)) == 0
}

test_deny_crawled_for_commercial_without_evidence if {
	inp := testing.patch({"dataset": _crawled, "job": _commercial})
	testing.rule_ids(_deny(inp)) == {"tdm-opt-out"}
}

test_deny_crawled_with_check_evidence_only_in_terms if {
	inp := testing.patch({"dataset": object.union(_crawled, {"terms": {"evidence": {"tdmOptOutCheck": "check-17"}}}), "job": _commercial})
	count(_deny(inp)) == 0
}

test_deny_reserved_source_for_commercial_without_licence if {
	inp := testing.patch({"dataset": {"origin": {"tdmOptOut": true}}, "job": _commercial})
	some r in _deny(inp)
	contains(r.message, "reserves text and data mining")
}

test_deny_reserved_source_for_research_by_company if {
	inp := testing.patch({"dataset": {"origin": {"tdmOptOut": true}}, "job": {"operator": {"type": "company"}}})
	testing.rule_ids(_deny(inp)) == {"tdm-opt-out"}
}
