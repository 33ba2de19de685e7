# METADATA
# title: Transfers outside the EEA
# description: >-
#   Personal data go to a site, recipient or operator (remote access) outside the EEA only when the country has an adequacy
#   decision (data.balticai.countries.adequacy; US only for DPF-certified recipients; a decision
#   with a scope, such as Japan's private sector or Canada's PIPEDA organisations, only with a
#   Chapter V safeguard, since nothing recorded places the destination within the scope) or a
#   Chapter V safeguard is recorded (terms.evidence.chapterVSafeguard). Inside the EEA they move
#   freely.
# custom:
#   rule: third-country-transfer
#   sources:
#     - GDPR Arts. 44-49
package balticai.rules.transfers

import data.balticai.lib

_rule := "third-country-transfer"

_source := "GDPR Arts. 44-49"

_destinations contains {"role": "site", "country": lib.site.country, "dpfCertified": object.get(lib.site, "dpfCertified", false)}

_destinations contains {"role": "recipient", "country": country, "dpfCertified": object.get(lib.job.recipient, "dpfCertified", false)} if {
	country := lib.job.recipient.country
}

# An operator established outside the EEA reaches the data from there, and remote access from a third
# country is a transfer wherever the site is (EDPB Guidelines 05/2021). The EU's own bodies (country EU)
# are bound by Regulation (EU) 2018/1725, not a third country's law.
_destinations contains {"role": "operator", "country": country, "dpfCertified": false} if {
	country := object.get(lib.job, ["operator", "country"], null)
	lib.present(country)
	country != "EU"
}

_lawful(d) if d.country in lib.eea

_lawful(d) if {
	decision := data.balticai.countries.adequacy[d.country]
	not decision.scope
	object.get(decision, "requiresDpfCertification", false) != true
}

_lawful(d) if {
	decision := data.balticai.countries.adequacy[d.country]
	decision.requiresDpfCertification == true
	d.dpfCertified == true
}

# METADATA
# title: Personal data leaving the EEA without a basis
# description: One reason per destination outside the EEA without adequacy or a Chapter V safeguard.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.personal_data
	some d in _destinations
	not _lawful(d)
	not lib.has_evidence("chapterVSafeguard")
	msg := sprintf("personal data of dataset %s would reach the %s in %v, outside the EEA, without adequacy or a Chapter V safeguard%s", [lib.dataset_id, d.role, d.country, _scope_note(d)])
}

_scope_note(d) := sprintf(" (the adequacy decision covers %v only, and nothing recorded places the %s within it)", [scope, d.role]) if {
	scope := data.balticai.countries.adequacy[d.country].scope
} else := ""

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.personal_data
	not lib.present(object.get(lib.site, "country", null))
	msg := sprintf("the site of job %v has no country, so transfers of dataset %s cannot be assessed", [object.get(lib.job, "id", null), lib.dataset_id])
}
