# METADATA
# title: Text and data mining opt-outs
# description: >-
#   Crawled data go to commercial training only with evidence that machine-readable opt-outs were
#   honoured (origin.crawler.optOutEvidence or terms.evidence.tdmOptOutCheck). A source that
#   reserves TDM rights (origin.tdmOptOut) needs a licence (terms.evidence.publisherLicence), except
#   for non-commercial research by research organisations and cultural heritage institutions, whose
#   DSM Art. 3 exception cannot be overridden by a reservation.
# custom:
#   rule: tdm-opt-out
#   sources:
#     - DSM Directive Art. 4(3)
#     - Polish copyright law Art. 26^3
#     - AI Act Art. 53(1)(c)
package balticai.rules.tdm

import data.balticai.lib

_rule := "tdm-opt-out"

_source := "DSM Directive Art. 4(3); Polish copyright law Art. 26^3; AI Act Art. 53(1)(c)"

_crawled if lib.dataset_get(["origin", "sourceType"]) == "crawled"

_opt_outs_honoured if lib.present(lib.dataset_get(["origin", "crawler", "optOutEvidence"]))

_opt_outs_honoured if lib.has_evidence("tdmOptOutCheck")

_reserved if lib.dataset_get(["origin", "tdmOptOut"]) == true

_article3 if {
	lib.research_job
	lib.job.operator.type in lib.settings.tdm.article3Beneficiaries
}

# METADATA
# title: TDM reservations not respected
# description: Reasons for crawled data without opt-out evidence and reserved sources without a licence.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_crawled
	lib.commercial_job
	not _opt_outs_honoured
	msg := sprintf("crawled dataset %s has no evidence that machine-readable TDM opt-outs were honoured", [lib.dataset_id])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_reserved
	not lib.has_evidence("publisherLicence")
	not _article3
	msg := sprintf("the source of dataset %s reserves text and data mining and no licence is recorded", [lib.dataset_id])
}
