# METADATA
# title: Record-keeping and routing to authorities
# description: >-
#   Every decision is kept in append-only storage (log retention and high-risk documentation
#   retention from data.balticai.settings.recordKeeping) and routed to the authorities of the
#   countries involved: where the data originate and are stored, where the compute is, and the
#   countries of the organisations acting. General-purpose model jobs also go to the EU AI Office.
#   A decision that cannot be timestamped or attributed to a caller is denied.
# custom:
#   rule: record-keeping
#   sources:
#     - AI Act Arts. 12, 18, 19
#     - GDPR Art. 30
package balticai.rules.record_keeping

import data.balticai.lib

_rule := "record-keeping"

_source := "AI Act Arts. 12, 18, 19; GDPR Art. 30"

_country_paths := [
	["dataset", "countryOfOrigin"],
	["dataset", "storage", "country"],
	["dataset", "owner", "country"],
	["site", "country"],
	["job", "operator", "country"],
	["job", "recipient", "country"],
	["caller", "country"],
]

countries contains c if {
	some path in _country_paths
	c := object.get(input, path, null)
	is_string(c)
	c != ""
}

countries contains "EU" if lib.job.generalPurposeModel == true

authorities contains a.id if {
	some c in countries
	some a in data.balticai.authorities[c]
}

# METADATA
# title: Decisions that cannot be recorded
# description: Reasons for a missing or invalid decision time and an unidentified caller.
deny contains {"rule": _rule, "message": "the decision time (input.time, RFC 3339) is missing or invalid", "source": _source} if {
	not lib.now_ns
}

deny contains {"rule": _rule, "message": "the caller's organisation (input.caller.organisation) is missing", "source": _source} if {
	not lib.present(object.get(input, ["caller", "organisation"], null))
}

# METADATA
# title: Record the decision
# description: Every decision, allowed or denied, is recorded and routed.
obligations contains o if {
	o := {
		"type": "record-decision",
		"logRetentionDays": lib.settings.recordKeeping.logRetentionDays,
		"documentationRetentionYears": lib.settings.recordKeeping.documentationRetentionYears,
		"countries": sort(countries),
		"authorities": sort(authorities),
	}
}
