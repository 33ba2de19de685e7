package balticai.rules.record_keeping_test

import data.balticai.rules.record_keeping
import data.balticai.testing

_deny(inp) := d if {
	d := record_keeping.deny with input as inp with data.balticai.settings as testing.settings with data.balticai.authorities as testing.authorities
}

_obligations(inp) := o if {
	o := record_keeping.obligations with input as inp with data.balticai.settings as testing.settings with data.balticai.authorities as testing.authorities
}

test_allow_and_route_to_polish_authorities if {
	count(_deny(testing.base_input)) == 0
	_obligations(testing.base_input) == {{
		"type": "record-decision",
		"logRetentionDays": 183,
		"documentationRetentionYears": 10,
		"countries": ["PL"],
		"authorities": ["pl-kribsi", "pl-uodo"],
	}}
}

test_allow_routes_every_country_involved_and_ai_office if {
	inp := testing.patch({"dataset": {"countryOfOrigin": "LT"}, "site": {"country": "EE"}, "job": {"generalPurposeModel": true, "recipient": {"country": "DE"}}})
	some o in _obligations(inp)
	o.countries == ["DE", "EE", "EU", "LT", "PL"]
	o.authorities == ["ee-aki", "ee-ttja", "eu-ai-office", "lt-rrt", "lt-vdai", "pl-kribsi", "pl-uodo"]
}

test_deny_missing_time if {
	reasons := _deny(testing.patch({"time": null}))
	testing.rule_ids(reasons) == {"record-keeping"}
}

test_deny_invalid_time if {
	count(_deny(testing.patch({"time": "yesterday"}))) == 1
}

test_deny_unknown_caller if {
	inp := testing.patch({"caller": {"organisation": ""}})
	count(_deny(inp)) == 1
	count(_obligations(inp)) == 1
}
