package balticai.rules.residency_test

import data.balticai.rules.residency
import data.balticai.testing

_deny(inp) := _deny_with(inp, testing.residency)

_deny_with(inp, schemes) := d if {
	d := residency.deny with input as inp with data.balticai.countries as testing.countries with data.balticai.residency as schemes with data.balticai.sites as testing.sites
}

_obligations(inp) := o if {
	o := residency.obligations with input as inp with data.balticai.countries as testing.countries with data.balticai.residency as testing.residency with data.balticai.sites as testing.sites
}

_lt_critical := {"countryOfOrigin": "LT", "storage": {"country": "LT"}, "sector": {"publicSector": true, "securityClass": "LT-CRITICAL"}}

_lt_site := {"id": "lt-vilnius-1", "country": "LT", "securityClasses": ["LT-PUBLIC", "LT-STATE-INFO", "LT-CRITICAL"]}

_ee_high := {"countryOfOrigin": "EE", "storage": {"country": "EE"}, "sector": {"publicSector": true, "securityClass": "E-ITS-H"}}

_ee_site := {"id": "ee-tallinn-1", "country": "EE", "securityClasses": ["E-ITS-H"]}

_ee_embassy := {"id": "lu-ee-embassy", "country": "LU", "dataEmbassy": true, "dataEmbassyFor": "EE"}

_at_embassy := {"site": "lu-ee-data-embassy", "country": "LU"}

_ee_national := {"countryOfOrigin": "EE", "storage": {"country": "EE"}, "residency": {"constraint": "national"}}

test_allow_unclassified_data_anywhere_in_eea if {
	count(_deny(testing.base_input)) == 0
	count(_obligations(testing.base_input)) == 0
}

test_allow_polish_scco3_on_polish_site_with_obligation if {
	inp := testing.patch({"dataset": {"sector": {"publicSector": true, "securityClass": "SCCO3"}}, "site": {"securityClasses": ["SCCO1", "SCCO2", "SCCO3"]}})
	count(_deny(inp)) == 0
	testing.obligation_types(_obligations(inp)) == {"keep-on-site"}
}

test_allow_polish_scco1_abroad if {
	inp := testing.patch({"dataset": {"sector": {"publicSector": true, "securityClass": "SCCO1"}}, "job": {"site": "ee-tallinn-1"}, "site": {"id": "ee-tallinn-1", "country": "EE", "securityClasses": ["E-ITS-H"]}})
	count(_deny(inp)) == 0
}

test_allow_lithuanian_critical_data_on_lithuanian_site if {
	inp := testing.patch({"dataset": _lt_critical, "job": {"site": "lt-vilnius-1"}, "site": _lt_site})
	count(_deny(inp)) == 0
	some o in _obligations(inp)
	o.foreignCopies == "encrypted-backup-only"
}

test_allow_estonian_high_data_in_data_embassy if {
	inp := testing.patch({"dataset": _ee_high, "job": {"site": "lu-ee-embassy"}, "site": {"id": "lu-ee-embassy", "country": "LU", "dataEmbassy": true, "dataEmbassyFor": "EE"}})
	count(_deny(inp)) == 0
}

test_allow_lithuanian_critical_data_copied_to_an_eu_data_centre if {
	inp := testing.patch({"dataset": object.union(_lt_critical, {"storage": {"country": "DE"}}), "job": {"site": "lt-vilnius-1"}, "site": _lt_site})
	count(_deny(inp)) == 0
}

test_allow_estonian_high_data_kept_in_the_data_embassy if {
	inp := testing.patch({"dataset": object.union(_ee_high, {"storage": _at_embassy}), "job": {"site": "ee-tallinn-1"}, "site": _ee_site})
	count(_deny(inp)) == 0
}

test_deny_estonian_high_data_kept_in_luxembourg_outside_the_data_embassy if {
	inp := testing.patch({"dataset": object.union(_ee_high, {"storage": {"site": null, "country": "LU"}}), "job": {"site": "ee-tallinn-1"}, "site": _ee_site})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"national-residency"}
	some r in reasons
	contains(r.message, "stored in LU")
}

test_allow_site_registered_for_a_higher_class_of_the_scheme if {
	inp := testing.patch({"dataset": {"sector": {"publicSector": true, "securityClass": "SCCO2"}}, "site": {"securityClasses": ["SCCO3"]}})
	count(_deny(inp)) == 0
	testing.obligation_types(_obligations(inp)) == {"keep-on-site"}
}

test_deny_site_registered_for_a_lower_class_of_the_scheme if {
	inp := testing.patch({"dataset": {"sector": {"publicSector": true, "securityClass": "SCCO3"}}, "site": {"securityClasses": ["SCCO2"]}})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"national-residency"}
	some r in reasons
	contains(r.message, "is not registered to hold it")
}

test_deny_higher_class_of_another_scheme if {
	inp := testing.patch({"dataset": {"sector": {"publicSector": true, "securityClass": "SCCO2"}}, "site": {"securityClasses": ["E-ITS-H", "LT-CRITICAL"]}})
	testing.rule_ids(_deny(inp)) == {"national-residency"}
}

test_deny_higher_class_where_the_scheme_holds_classes_exactly if {
	inp := testing.patch({"dataset": {"sector": {"publicSector": true, "securityClass": "SCCO2"}}, "site": {"securityClasses": ["SCCO3"]}})
	exact := object.union(testing.residency, {"PL": {"higherClassesHoldLower": false}})
	testing.rule_ids(_deny_with(inp, exact)) == {"national-residency"}
}

test_allow_class_of_another_country_follows_that_country if {
	inp := testing.patch({"dataset": {"countryOfOrigin": "PL", "storage": {"country": "LT"}, "sector": {"publicSector": true, "securityClass": "LT-CRITICAL"}}, "job": {"site": "lt-vilnius-1"}, "site": _lt_site})
	count(_deny(inp)) == 0
}

test_every_class_a_dataset_can_declare_has_its_country_scheme if {
	every country, classes in testing.classes {
		every name, _ in classes {
			name in testing.residency[country].classes
		}
	}
}

test_allow_owner_constraint_eea if {
	inp := testing.patch({"dataset": {"residency": {"constraint": "eea"}}, "job": {"site": "no-1"}, "site": {"id": "no-1", "country": "NO"}})
	count(_deny(inp)) == 0
}

test_deny_lithuanian_critical_data_on_polish_site if {
	reasons := _deny(testing.with_dataset(_lt_critical))
	testing.rule_ids(reasons) == {"national-residency"}
	some r in reasons
	contains(r.message, "encrypted backups only")
}

test_deny_lithuanian_critical_data_stored_outside_eu_eea_nato if {
	inp := testing.patch({"dataset": object.union(_lt_critical, {"storage": {"country": "CN"}}), "job": {"site": "lt-vilnius-1"}, "site": _lt_site})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"national-residency"}
	some r in reasons
	contains(r.message, "stored in CN")
}

test_deny_polish_scco3_stored_abroad if {
	inp := testing.with_dataset({"storage": {"country": "DE"}, "sector": {"publicSector": true, "securityClass": "SCCO3"}})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"national-residency"}
	some r in reasons
	contains(r.message, "stored in DE")
}

test_deny_estonian_high_data_stored_outside_the_data_embassy if {
	inp := testing.patch({"dataset": object.union(_ee_high, {"storage": {"country": "FI"}}), "job": {"site": "ee-tallinn-1"}, "site": {"id": "ee-tallinn-1", "country": "EE"}})
	testing.rule_ids(_deny(inp)) == {"national-residency"}
}

test_deny_national_site_not_registered_for_the_class if {
	inp := testing.patch({"dataset": _lt_critical, "job": {"site": "lt-vilnius-2"}, "site": {"id": "lt-vilnius-2", "country": "LT", "securityClasses": ["LT-PUBLIC"]}})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"national-residency"}
	some r in reasons
	contains(r.message, "is not registered to hold it")
}

test_deny_estonian_high_data_in_foreign_site if {
	inp := testing.patch({"dataset": _ee_high, "job": {"site": "lu-1"}, "site": {"id": "lu-1", "country": "LU"}})
	testing.rule_ids(_deny(inp)) == {"national-residency"}
}

test_deny_polish_scco2_abroad if {
	inp := testing.patch({"dataset": {"sector": {"publicSector": true, "securityClass": "SCCO2"}}, "job": {"site": "lt-vilnius-1"}, "site": _lt_site})
	testing.rule_ids(_deny(inp)) == {"national-residency"}
}

test_deny_classified_data_even_at_home if {
	inp := testing.with_dataset({"sector": {"classified": true}})
	testing.rule_ids(_deny(inp)) == {"classified-never-released"}
}

test_deny_unknown_security_class if {
	inp := testing.with_dataset({"sector": {"securityClass": "SCCO9"}})
	some r in _deny(inp)
	contains(r.message, "does not know")
}

test_deny_security_class_without_scheme if {
	inp := testing.with_dataset({"countryOfOrigin": "FI", "sector": {"securityClass": "ST III"}})
	testing.rule_ids(_deny(inp)) == {"national-residency"}
}

test_deny_owner_constraint_national if {
	inp := testing.patch({"dataset": {"residency": {"constraint": "national"}}, "job": {"site": "ee-1"}, "site": {"id": "ee-1", "country": "EE"}})
	testing.rule_ids(_deny(inp)) == {"residency-constraint"}
}

test_allow_owner_constraint_national_stored_at_the_states_own_data_embassy if {
	inp := testing.patch({"dataset": object.union(_ee_national, {"storage": _at_embassy}), "job": {"site": "ee-tallinn-1"}, "site": _ee_site})
	count(_deny(inp)) == 0
}

test_deny_owner_constraint_national_stored_abroad if {
	inp := testing.patch({"dataset": object.union(_ee_national, {"storage": {"site": null, "country": "FI"}}), "job": {"site": "ee-tallinn-1"}, "site": _ee_site})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"residency-constraint"}
	some r in reasons
	contains(r.message, "stored in FI")
}

test_deny_owner_constraint_national_stored_at_another_states_data_embassy if {
	inp := testing.with_dataset({"residency": {"constraint": "national"}, "storage": _at_embassy})
	testing.rule_ids(_deny(inp)) == {"residency-constraint"}
}

test_deny_owner_constraint_national_training_at_the_states_own_data_embassy if {
	inp := testing.patch({"dataset": _ee_national, "job": {"site": "lu-ee-embassy"}, "site": _ee_embassy})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"residency-constraint"}
	some r in reasons
	contains(r.message, "counts as national for storage, not for training")
}

test_deny_site_mismatch if {
	inp := testing.with_job({"site": "pl-pcss-2"})
	testing.rule_ids(_deny(inp)) == {"site-identity"}
}

test_deny_job_without_site if {
	reasons := _deny(testing.without("job", "site"))
	testing.rule_ids(reasons) == {"site-identity"}
}

# The registration API's eu-eea-nato residency (where Lithuania lets copies of critical data go).
test_allow_owner_constraint_eu_eea_nato_on_a_nato_site_outside_the_eea if {
	inp := testing.patch({"dataset": {"residency": {"constraint": "eu-eea-nato"}}, "job": {"site": "gb-1"}, "site": {"id": "gb-1", "country": "GB"}})
	count(_deny(inp)) == 0
}

test_deny_owner_constraint_eu_eea_nato_elsewhere if {
	inp := testing.patch({"dataset": {"residency": {"constraint": "eu-eea-nato"}}, "job": {"site": "ch-1"}, "site": {"id": "ch-1", "country": "CH"}})
	testing.rule_ids(_deny(inp)) == {"residency-constraint"}
}

test_allow_owner_constraint_eu_on_an_eu_site if {
	inp := testing.patch({"dataset": {"residency": {"constraint": "eu"}}, "job": {"site": "fi-1"}, "site": {"id": "fi-1", "country": "FI"}})
	count(_deny(inp)) == 0
}

test_deny_owner_constraint_eu_in_the_eea_outside_the_eu if {
	inp := testing.patch({"dataset": {"residency": {"constraint": "eu"}}, "job": {"site": "no-1"}, "site": {"id": "no-1", "country": "NO"}})
	testing.rule_ids(_deny(inp)) == {"residency-constraint"}
}

test_allow_owner_constraint_countries_on_a_listed_country if {
	inp := testing.patch({"dataset": {"residency": {"constraint": "countries", "countries": ["PL", "LT"]}}})
	count(_deny(inp)) == 0
}

test_deny_owner_constraint_countries_elsewhere if {
	inp := testing.patch({"dataset": {"residency": {"constraint": "countries", "countries": ["LT", "LV"]}}})
	reasons := _deny(inp)
	testing.rule_ids(reasons) == {"residency-constraint"}
}
