package balticai.lib_test

import data.balticai.lib
import data.balticai.testing

# The helpers read the shipped documents, mocked as every family's tests mock them.
_eval(inp, name) := v if {
	v := lib[name] with input as inp
		with data.balticai.settings as testing.settings
		with data.balticai.licences as testing.licences
		with data.balticai.countries as testing.countries
}

_holds(inp, name) if _eval(inp, name) == true

test_present_refuses_every_empty_value if {
	every x in [null, false, "", [], {}, set()] {
		not lib.present(x)
	}
}

test_present_accepts_values_that_carry_information if {
	every x in [0, true, "x", [null], {"a": null}, {false}] {
		lib.present(x)
	}
}

test_missing_sections_read_as_empty_objects if {
	_eval({}, "dataset") == {}
	_eval({}, "job") == {}
	_eval({}, "site") == {}
	_eval({}, "dataset_id") == "null@null"
}

test_dataset_id_names_dataset_and_version if {
	_eval(testing.base_input, "dataset_id") == "ds-speakleash-pl-public@2026.10"
}

test_evidence_is_read_by_name if {
	inp := testing.with_dataset({"terms": {"evidence": {"dataPermit": "EHDS-LV-2026-17", "empty": ""}}})
	lib.has_evidence("dataPermit") with input as inp
	not lib.has_evidence("empty") with input as inp
	not lib.has_evidence("compatibilityAssessment") with input as inp
	lib.evidence("compatibilityAssessment") == null with input as inp
}

test_eea_adds_iceland_liechtenstein_norway_to_the_eu if {
	eea := _eval({}, "eea")
	eu := _eval({}, "eu")
	eea - eu == {"IS", "LI", "NO"}
	count(eu) == 27
	"PL" in eea
	not "CH" in eea
}

test_nato_is_read_from_the_countries_document if {
	nato := _eval({}, "nato")
	{"EE", "LT", "LV", "PL", "US", "NO"} - nato == set()
	not "AT" in nato
}

test_non_commercial_research_job_is_research_not_commercial if {
	not _holds(testing.base_input, "commercial_job")
	_holds(testing.base_input, "research_job")
}

test_job_flagged_commercial_is_commercial if {
	inp := testing.with_job({"commercial": true})
	_holds(inp, "commercial_job")
	not _holds(inp, "research_job")
}

test_job_with_a_commercial_purpose_is_commercial_whatever_its_flag if {
	_holds(testing.with_job({"purpose": "commercial", "commercial": false}), "commercial_job")
}

# Fail closed: a job that does not say, or says it in a form the rules cannot read, is commercial.
test_job_without_a_boolean_commercial_flag_is_commercial if {
	_holds(testing.without("job", "commercial"), "commercial_job")
	_holds(testing.with_job({"commercial": "no"}), "commercial_job")
	_holds(testing.with_job({"commercial": null}), "commercial_job")
	not _holds(testing.without("job", "commercial"), "research_job")
}

test_job_with_a_purpose_outside_research_is_not_research if {
	not _holds(testing.with_job({"purpose": "public-sector-service"}), "research_job")
	_holds(testing.with_job({"purpose": "health-research"}), "research_job")
}

test_site_accreditation_is_read_from_the_site if {
	lib.site_accredited("iso-27001") with input as testing.base_input
	not lib.site_accredited("ehds-secure-processing-environment") with input as testing.base_input
	not lib.site_accredited("iso-27001") with input as testing.without("site", "accreditations")
}

test_health_data_about_people_is_a_special_category if {
	inp := testing.with_dataset(object.union(testing.personal, {"sector": {"health": true}}))
	_eval(inp, "special_categories") == {"health"}
}

test_health_sector_without_personal_data_is_no_special_category if {
	inp := testing.with_dataset({"sector": {"health": true}})
	_eval(inp, "special_categories") == set()
	not _holds(inp, "personal_data")
}

test_listed_special_categories_are_kept if {
	personal := object.union(testing.personal, {"personalData": {"specialCategories": ["biometric", "health"]}})
	_eval(testing.with_dataset(personal), "special_categories") == {"biometric", "health"}
}

test_personal_data_only_when_the_owner_says_true if {
	_holds(testing.with_dataset(testing.personal), "personal_data")
	not _holds(testing.with_dataset({"personalData": {"contains": "yes"}}), "personal_data")
	not _holds(testing.base_input, "personal_data")
}

test_restrictions_are_compared_in_lower_case if {
	inp := testing.with_dataset({"licensing": {"licence": "CC0-1.0", "restrictions": ["Research-Only", "NC", 7]}})
	_eval(inp, "restrictions") == {"research-only", "nc"}
	_holds(inp, "research_only")
	_holds(inp, "non_commercial")
}

test_research_only_from_the_licence_terms if {
	inp := testing.with_dataset({"licensing": {"licence": "LicenseRef-PLLuM-Research", "restrictions": []}})
	_holds(inp, "research_only")
	_holds(inp, "non_commercial")
	_holds(inp, "commercial_use_excluded")
}

test_content_mined_under_the_research_exception_is_research_only if {
	inp := testing.with_dataset({"licensing": {"licence": "CC-BY-4.0", "restrictions": [], "copyrightBasis": "tdm-research-exception"}})
	_holds(inp, "research_only")
	_holds(inp, "non_commercial")
}

test_unrestricted_public_domain_licence_has_no_flags if {
	every flag in ["research_only", "non_commercial", "commercial_use_excluded", "no_derivatives", "share_alike"] {
		not _holds(testing.base_input, flag)
	}
}

test_licence_terms_set_the_flags if {
	nc_nd := testing.with_dataset({"licensing": {"licence": "CC-BY-NC-ND-4.0", "restrictions": []}})
	_holds(nc_nd, "non_commercial")
	_holds(nc_nd, "no_derivatives")
	not _holds(nc_nd, "research_only")
	sa := testing.with_dataset({"licensing": {"licence": "CC-BY-SA-4.0", "restrictions": []}})
	_holds(sa, "share_alike")
	not _holds(sa, "non_commercial")
}

test_restrictions_set_the_flags_whatever_the_licence if {
	inp := testing.with_dataset({"licensing": {"licence": "CC0-1.0", "restrictions": ["nd", "share-alike"]}})
	_holds(inp, "no_derivatives")
	_holds(inp, "share_alike")
}

test_licence_without_terms_reads_as_undefined if {
	inp := testing.with_dataset({"licensing": {"licence": "LicenseRef-Unknown", "restrictions": []}})
	not _eval(inp, "licence_terms")
	not _holds(inp, "non_commercial")
}

test_decision_time_is_read_from_rfc3339 if {
	_eval(testing.base_input, "now_ns") == time.parse_rfc3339_ns("2026-11-28T23:00:00Z")
	not _eval(testing.patch({"time": "yesterday"}), "now_ns")
	not _eval(object.remove(testing.base_input, ["time"]), "now_ns")
}
