# METADATA
# title: General-purpose model training summary
# description: >-
#   When the job trains a general-purpose model, the ledger must be able to fill the Commission's
#   public training-content summary template: the decision carries a record-gpai-summary obligation
#   with this dataset's entry, and a dataset lacking the facts the template needs (modality, size;
#   for crawled data the crawler, whether it honoured robots.txt and the TDM reservation protocol,
#   and the domains it left out) is denied.
# custom:
#   rule: gpai-summary
#   sources:
#     - AI Act Art. 53(1)(d)
package balticai.rules.gpai

import data.balticai.lib

_rule := "gpai-summary"

_source := "AI Act Art. 53(1)(d)"

_gpai if lib.job.generalPurposeModel == true

_source_type := lib.dataset_get(["origin", "sourceType"])

_missing contains "content.modality" if not lib.present(lib.dataset_get(["content", "modality"]))

_missing contains "content.tokens or content.sizeBytes" if {
	not lib.present(lib.dataset_get(["content", "tokens"]))
	not lib.present(lib.dataset_get(["content", "sizeBytes"]))
}

_missing contains "origin.crawler.name" if {
	_source_type == "crawled"
	not lib.present(lib.dataset_get(["origin", "crawler", "name"]))
}

# The template's section on crawled data asks how the crawler behaved, and its section on TDM
# opt-outs what was done to honour them: false and [] are answers, an absent fact is not.
_missing contains sprintf("origin.crawler.%s", [fact]) if {
	_source_type == "crawled"
	some fact in ["honoursRobotsTxt", "honoursTdmReservationProtocol"]
	not is_boolean(lib.dataset_get(["origin", "crawler", fact]))
}

_missing contains "origin.crawler.excludedDomains" if {
	_source_type == "crawled"
	not is_array(lib.dataset_get(["origin", "crawler", "excludedDomains"]))
}

# METADATA
# title: Facts missing for the training-content summary
# description: One reason per fact the public summary needs and the dataset lacks.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	_gpai
	some field in _missing
	msg := sprintf("job %v trains a general-purpose model and dataset %s lacks %s for the training-content summary", [object.get(lib.job, "id", null), lib.dataset_id, field])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	not is_boolean(object.get(lib.job, "generalPurposeModel", null))
	msg := sprintf("job %v does not state whether it trains a general-purpose model (job.generalPurposeModel)", [object.get(lib.job, "id", null)])
}

# METADATA
# title: Entry for the public training-content summary
# description: The ledger records this dataset in the model's summary, refreshed at the configured interval.
obligations contains o if {
	_gpai
	o := {
		"type": "record-gpai-summary",
		"dataset": lib.dataset_id,
		"model": object.get(lib.job, ["model", "name"], null),
		"template": lib.settings.gpai.template,
		"updateEveryMonths": lib.settings.gpai.updateEveryMonths,
		"sourceType": _source_type,
		"modality": lib.dataset_get(["content", "modality"]),
		"tokens": lib.dataset_get(["content", "tokens"]),
		"sizeBytes": lib.dataset_get(["content", "sizeBytes"]),
		"languages": object.get(lib.dataset, ["content", "languages"], []),
		"collectionPeriod": lib.dataset_get(["origin", "collectionPeriod"]),
		"crawler": lib.dataset_get(["origin", "crawler", "name"]),
		"honoursRobotsTxt": lib.dataset_get(["origin", "crawler", "honoursRobotsTxt"]),
		"honoursTdmReservationProtocol": lib.dataset_get(["origin", "crawler", "honoursTdmReservationProtocol"]),
		"excludedDomains": object.get(lib.dataset, ["origin", "crawler", "excludedDomains"], []),
		"tdmOptOutMeasures": lib.dataset_get(["origin", "crawler", "optOutEvidence"]),
	}
}
