package balticai.rules.special_categories_test

import data.balticai.rules.special_categories
import data.balticai.testing

_deny(inp) := d if {
	d := special_categories.deny with input as inp with data.balticai.settings as testing.settings
}

_obligations(inp) := o if {
	o := special_categories.obligations with input as inp with data.balticai.settings as testing.settings
}

_biometric := object.union(testing.personal, {"personalData": {"specialCategories": ["biometric"]}})

test_allow_without_special_categories if {
	count(_deny(testing.with_dataset(testing.personal))) == 0
}

test_allow_with_art9_exception if {
	inp := testing.with_dataset(object.union(_biometric, {"terms": {"evidence": {"art9Exception": "GDPR Art. 9(2)(j), research"}}}))
	count(_deny(inp)) == 0
	count(_obligations(inp)) == 0
}

test_allow_bias_testing_with_obligations if {
	inp := testing.patch({"dataset": _biometric, "job": {"purpose": "bias-testing", "highRiskSystem": true}})
	count(_deny(inp)) == 0
	testing.obligation_types(_obligations(inp)) == {"pseudonymise", "keep-on-site", "delete-after-days"}
	some o in _obligations(inp)
	o.type == "delete-after-days"
	o.days == 30
}

test_deny_without_exception if {
	reasons := _deny(testing.with_dataset(_biometric))
	testing.rule_ids(reasons) == {"special-categories"}
	some r in reasons
	contains(r.message, "biometric")
}

test_deny_bias_testing_outside_high_risk_system if {
	inp := testing.patch({"dataset": _biometric, "job": {"purpose": "bias-testing"}})
	testing.rule_ids(_deny(inp)) == {"special-categories"}
}

test_deny_bias_testing_without_pseudonymisation if {
	inp := testing.patch({
		"dataset": object.union(_biometric, {"personalData": {"pseudonymisation": null}}),
		"job": {"purpose": "bias-testing", "highRiskSystem": true},
	})
	some r in _deny(inp)
	contains(r.message, "pseudonymised")
}

# Electronic health data about people are data concerning health (GDPR Arts. 4(15), 9(1)), whether or
# not the owner also listed the category.
_health_sector := object.union(testing.personal, {"sector": {"health": true}})

test_deny_health_sector_personal_data_without_exception if {
	reasons := _deny(testing.with_dataset(_health_sector))
	testing.rule_ids(reasons) == {"special-categories"}
	some r in reasons
	contains(r.message, "(health)")
}

test_allow_health_sector_personal_data_with_art9_exception if {
	inp := testing.with_dataset(object.union(_health_sector, {"terms": {"evidence": {"art9Exception": "GDPR Art. 9(2)(j)"}}}))
	count(_deny(inp)) == 0
}

test_allow_health_sector_data_without_personal_data if {
	count(_deny(testing.with_dataset({"sector": {"health": true}}))) == 0
}
