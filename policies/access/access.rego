# METADATA
# title: Dataset release decision
# description: >-
#   The broker asks data.balticai.access.decision for one dataset version and one training job.
#   Every rule family contributes reasons (deny) and obligations; the version is released only when
#   no family objects. Reasons and obligations are sorted, so equal inputs give equal decisions.
# custom:
#   sources:
#     - AI Act Arts. 10, 12, 53; Annex IV; Annex XI
#     - GDPR Arts. 5, 6, 9, 17, 21, 30, 35, 44-49
#     - DSM Directive Arts. 3, 4; Polish copyright law Arts. 26^2, 26^3
#     - Data Governance Act Art. 5; EHDS Reg. 2025/327 Arts. 53-54; national residency rules
package balticai.access

import data.balticai.rules.dpia
import data.balticai.rules.gpai
import data.balticai.rules.health
import data.balticai.rules.licence
import data.balticai.rules.origin
import data.balticai.rules.public_sector
import data.balticai.rules.purpose
import data.balticai.rules.record_keeping
import data.balticai.rules.research_only
import data.balticai.rules.residency
import data.balticai.rules.special_categories
import data.balticai.rules.tdm
import data.balticai.rules.terms
import data.balticai.rules.transfers
import data.balticai.rules.withdrawal

# METADATA
# title: Every reason to refuse the release
# description: >-
#   The union of the reasons of all rule families, each {rule, message, source}. If a family is
#   missing, deny and the decision are undefined, which the broker treats as a refusal.
deny := union({
	origin.deny,
	purpose.deny,
	special_categories.deny,
	tdm.deny,
	research_only.deny,
	licence.deny,
	transfers.deny,
	residency.deny,
	health.deny,
	public_sector.deny,
	withdrawal.deny,
	dpia.deny,
	gpai.deny,
	record_keeping.deny,
	terms.deny,
})

# METADATA
# title: Every obligation attached to the release
# description: The union of the obligations of all rule families; they bind only when allow is true, except record-decision, which binds always.
obligation := union({
	special_categories.obligations,
	research_only.obligations,
	licence.obligations,
	residency.obligations,
	health.obligations,
	public_sector.obligations,
	gpai.obligations,
	record_keeping.obligations,
})

default allow := false

# METADATA
# title: Release allowed
# description: True when no rule family gives a reason to refuse.
allow if count(deny) == 0

# Reasons sorted by rule id, then message; obligations sorted by type, then content.
reasons := [{"rule": k[0], "message": k[1], "source": k[2]} | some k in sort([[r.rule, r.message, r.source] | some r in deny])]

obligations := [k[1] | some k in sort([[o.type, o] | some o in obligation])]

# METADATA
# title: Decision
# description: >-
#   {"allow": bool, "reasons": [{"rule", "message", "source"}], "obligations": [{"type", ...}]}
#   for input {dataset, job, site, caller, time} as described in schemas/policy-input.schema.json.
# entrypoint: true
decision := {
	"allow": allow,
	"reasons": reasons,
	"obligations": obligations,
}
