# METADATA
# title: The data owner's usage terms
# description: >-
#   A job's purpose must be among the dataset's permitted purposes when the owner lists any
#   (terms.permittedPurposes), and the terms must not have expired at the decision time nor before
#   the job's planned end (terms.expiry, RFC 3339); terms that expire need a readable planned end.
# custom:
#   rule: usage-terms
#   sources:
#     - Data owner's usage terms (ODRL 2.2 permission constraints)
package balticai.rules.terms

import data.balticai.lib

_rule := "usage-terms"

_source := "Data owner's usage terms (ODRL 2.2 permission constraints)"

_permitted := object.get(lib.dataset, ["terms", "permittedPurposes"], [])

_expiry := lib.dataset_get(["terms", "expiry"])

_expiry_ns := time.parse_rfc3339_ns(_expiry) if is_string(_expiry)

_planned_end := object.get(lib.job, "plannedEnd", null)

_planned_end_ns := time.parse_rfc3339_ns(_planned_end) if is_string(_planned_end)

# METADATA
# title: Use outside the owner's terms
# description: Reasons for a purpose the owner does not permit and for expired or expiring terms.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	count(_permitted) > 0
	not lib.job.purpose in _permitted
	msg := sprintf("dataset %s permits purposes %v; job purpose is %v", [lib.dataset_id, _permitted, object.get(lib.job, "purpose", null)])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.present(_expiry)
	not _expiry_ns
	msg := sprintf("dataset %s has an unreadable expiry %v", [lib.dataset_id, _expiry])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_expiry_ns <= lib.now_ns
	msg := sprintf("the terms of dataset %s expired at %v", [lib.dataset_id, _expiry])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_expiry_ns > lib.now_ns
	_expiry_ns < _planned_end_ns
	msg := sprintf("the terms of dataset %s expire at %v, before the job's planned end %v", [lib.dataset_id, _expiry, _planned_end])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.present(_expiry)
	not _planned_end_ns
	msg := sprintf("the terms of dataset %s expire at %v and the job's planned end %v is missing or unreadable, so they cannot be checked against it", [lib.dataset_id, _expiry, _planned_end])
}
