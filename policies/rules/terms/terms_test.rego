package balticai.rules.terms_test

import data.balticai.rules.terms
import data.balticai.testing

_deny(inp) := d if {
	d := terms.deny with input as inp
}

test_allow_without_terms if {
	count(_deny(testing.base_input)) == 0
}

test_allow_permitted_purpose_before_expiry if {
	inp := testing.with_dataset({"terms": {"permittedPurposes": ["research", "education"], "expiry": "2027-12-31T23:59:59Z"}})
	count(_deny(inp)) == 0
}

test_deny_purpose_not_permitted if {
	inp := testing.with_dataset({"terms": {"permittedPurposes": ["education"]}})
	testing.rule_ids(_deny(inp)) == {"usage-terms"}
}

test_deny_expired_terms if {
	inp := testing.with_dataset({"terms": {"expiry": "2026-06-30T00:00:00Z"}})
	some r in _deny(inp)
	contains(r.message, "expired")
}

test_deny_terms_expiring_before_planned_end if {
	inp := testing.with_dataset({"terms": {"expiry": "2026-12-31T00:00:00Z"}})
	some r in _deny(inp)
	contains(r.message, "before the job's planned end")
}

test_deny_unreadable_expiry if {
	inp := testing.with_dataset({"terms": {"expiry": "end of next year"}})
	count(_deny(inp)) == 1
}

test_deny_expiry_with_job_without_planned_end if {
	inp := object.union(testing.without("job", "plannedEnd"), {"dataset": {"terms": {"expiry": "2027-12-31T23:59:59Z"}}})
	some r in _deny(inp)
	contains(r.message, "planned end")
}

test_deny_expiry_with_unreadable_planned_end if {
	inp := testing.patch({"dataset": {"terms": {"expiry": "2027-06-30T23:59:59Z"}}, "job": {"plannedEnd": "31/12/2027"}})
	some r in _deny(inp)
	contains(r.message, "planned end")
}

test_allow_without_expiry_or_planned_end if {
	count(_deny(testing.without("job", "plannedEnd"))) == 0
}
