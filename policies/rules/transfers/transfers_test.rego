package balticai.rules.transfers_test

import data.balticai.rules.transfers
import data.balticai.testing

_deny(inp) := d if {
	d := transfers.deny with input as inp with data.balticai.countries as testing.countries
}

_personal_to(country, dpf) := testing.patch({"dataset": testing.personal, "job": {"recipient": {"country": country, "dpfCertified": dpf}}})

test_allow_inside_eea if {
	count(_deny(_personal_to("NO", false))) == 0
}

test_allow_adequacy_country if {
	count(_deny(_personal_to("CH", false))) == 0
}

test_allow_us_with_dpf_certification if {
	count(_deny(_personal_to("US", true))) == 0
}

test_allow_non_personal_data_anywhere if {
	inp := testing.with_job({"recipient": {"country": "CN"}})
	count(_deny(inp)) == 0
}

test_allow_third_country_with_chapter_v_safeguard if {
	inp := object.union(_personal_to("IN", false), {"dataset": {"terms": {"evidence": {"chapterVSafeguard": "SCC 2021/914 module 1"}}}})
	count(_deny(inp)) == 0
}

test_allow_scoped_adequacy_with_chapter_v_safeguard if {
	inp := object.union(_personal_to("JP", false), {"dataset": {"terms": {"evidence": {"chapterVSafeguard": "SCC 2021/914 module 1"}}}})
	count(_deny(inp)) == 0
}

test_deny_scoped_adequacy_without_safeguard if {
	reasons := _deny(_personal_to("JP", false))
	testing.rule_ids(reasons) == {"third-country-transfer"}
	some r in reasons
	contains(r.message, "covers private sector only")
}

test_deny_us_without_dpf_certification if {
	testing.rule_ids(_deny(_personal_to("US", false))) == {"third-country-transfer"}
}

test_deny_third_country_without_safeguard if {
	reasons := _deny(_personal_to("IN", false))
	count(reasons) == 1
	some r in reasons
	contains(r.message, "recipient in IN")
}

test_deny_site_outside_eea if {
	inp := object.union(testing.with_dataset(testing.personal), {"site": {"country": "SG"}})
	some r in _deny(inp)
	contains(r.message, "site in SG")
}

_personal_operated_from(country) := testing.patch({"dataset": testing.personal, "job": {"operator": {"organisation": "Acme AI", "country": country, "type": "company"}}})

test_deny_operator_outside_the_eea_without_safeguard if {
	reasons := _deny(_personal_operated_from("IN"))
	count(reasons) == 1
	some r in reasons
	contains(r.message, "would reach the operator in IN")
}

test_allow_operator_outside_the_eea_with_chapter_v_safeguard if {
	inp := object.union(_personal_operated_from("IN"), {"dataset": {"terms": {"evidence": {"chapterVSafeguard": "SCC 2021/914 module 1"}}}})
	count(_deny(inp)) == 0
}

test_allow_operator_in_the_eea_or_an_eu_body if {
	count(_deny(_personal_operated_from("NO"))) == 0
	count(_deny(_personal_operated_from("EU"))) == 0
}

test_deny_personal_data_for_a_site_without_a_country if {
	inp := object.union(testing.without("site", "country"), {"dataset": testing.personal})
	reasons := _deny(inp)
	count(reasons) == 1
	some r in reasons
	r.message == "the site of job job-bielik-research-7 has no country, so transfers of dataset ds-speakleash-pl-public@2026.10 cannot be assessed"
}
