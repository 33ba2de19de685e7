package balticai.rules.withdrawal_test

import data.balticai.rules.withdrawal
import data.balticai.testing

_deny(inp) := d if {
	d := withdrawal.deny with input as inp with data.balticai.settings as testing.settings
}

test_allow_active_dataset if {
	count(_deny(testing.base_input)) == 0
}

test_allow_derived_from_active_parent if {
	inp := testing.with_dataset({"derivedFrom": [{"id": "ds-parent", "version": "1", "status": "active"}]})
	count(_deny(inp)) == 0
}

test_deny_withdrawn_dataset if {
	reasons := _deny(testing.with_dataset({"status": "withdrawn"}))
	testing.rule_ids(reasons) == {"withdrawn-dataset"}
	some r in reasons
	contains(r.message, "status withdrawn")
}

test_deny_restricted_dataset if {
	count(_deny(testing.with_dataset({"status": "restricted"}))) == 1
}

test_deny_missing_status if {
	count(_deny(testing.with_dataset({"status": null}))) == 1
}

test_deny_derived_from_withdrawn_parent if {
	inp := testing.with_dataset({"derivedFrom": [{"id": "ds-parent", "version": "1", "status": "withdrawn"}]})
	some r in _deny(inp)
	contains(r.message, "derives from ds-parent@1")
}

test_deny_only_the_withdrawn_parent_version if {
	inp := testing.with_dataset({"derivedFrom": [
		{"id": "ds-parent", "version": "1", "status": "active"},
		{"id": "ds-parent", "version": "2", "status": "withdrawn"},
	]})
	reasons := _deny(inp)
	count(reasons) == 1
	some r in reasons
	contains(r.message, "derives from ds-parent@2, which has status withdrawn")
}

test_deny_derived_from_parent_without_status if {
	inp := testing.with_dataset({"derivedFrom": [{"id": "ds-parent", "version": "1"}]})
	some r in _deny(inp)
	contains(r.message, "derives from ds-parent@1, which has status null")
}
