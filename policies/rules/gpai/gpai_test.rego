package balticai.rules.gpai_test

import data.balticai.rules.gpai
import data.balticai.testing

_deny(inp) := d if {
	d := gpai.deny with input as inp with data.balticai.settings as testing.settings
}

_obligations(inp) := o if {
	o := gpai.obligations with input as inp with data.balticai.settings as testing.settings
}

_gpai := {"generalPurposeModel": true}

test_allow_non_gpai_job_without_obligation if {
	count(_deny(testing.base_input)) == 0
	count(_obligations(testing.base_input)) == 0
}

test_allow_gpai_job_with_summary_obligation if {
	inp := testing.with_job(_gpai)
	count(_deny(inp)) == 0
	some o in _obligations(inp)
	o.type == "record-gpai-summary"
	o.sourceType == "public"
	o.tokens == 900000000
	o.updateEveryMonths == 6
}

test_deny_gpai_without_modality if {
	inp := testing.patch({"dataset": {"content": {"modality": null}}, "job": _gpai})
	testing.rule_ids(_deny(inp)) == {"gpai-summary"}
}

test_deny_gpai_without_size if {
	inp := testing.patch({"dataset": {"content": {"tokens": null, "sizeBytes": null}}, "job": _gpai})
	count(_deny(inp)) == 1
}

test_deny_gpai_crawled_without_crawler if {
	inp := testing.patch({"dataset": {"origin": {"sourceType": "crawled"}}, "job": _gpai})
	some r in _deny(inp)
	contains(r.message, "origin.crawler.name")
}

_crawled := {"origin": {"sourceType": "crawled", "crawler": {
	"name": "PLLuMBot/1.0",
	"optOutEvidence": "TDM-CHECK-2026-04",
	"honoursRobotsTxt": true,
	"honoursTdmReservationProtocol": true,
	"excludedDomains": ["wp.pl", "onet.pl"],
}}}

test_allow_gpai_crawled_data_with_the_crawl_in_the_summary_entry if {
	inp := testing.patch({"dataset": _crawled, "job": _gpai})
	count(_deny(inp)) == 0
	some o in _obligations(inp)
	o.crawler == "PLLuMBot/1.0"
	o.honoursRobotsTxt == true
	o.honoursTdmReservationProtocol == true
	o.excludedDomains == ["wp.pl", "onet.pl"]
	o.collectionPeriod == {"start": "2022-01-01", "end": "2026-06-30"}
}

test_allow_gpai_crawl_that_excluded_no_domain if {
	inp := testing.patch({"dataset": {"origin": {"sourceType": "crawled", "crawler": {
		"name": "PLLuMBot/1.0",
		"honoursRobotsTxt": false,
		"honoursTdmReservationProtocol": false,
		"excludedDomains": [],
	}}}, "job": _gpai})
	count(_deny(inp)) == 0
	some o in _obligations(inp)
	o.excludedDomains == []
	o.honoursRobotsTxt == false
}

test_deny_gpai_crawled_without_excluded_domains if {
	inp := testing.patch({"dataset": _crawled, "job": _gpai})
	reasons := _deny(json.remove(inp, ["dataset/origin/crawler/excludedDomains"]))
	testing.rule_ids(reasons) == {"gpai-summary"}
	some r in reasons
	contains(r.message, "origin.crawler.excludedDomains")
}

test_deny_gpai_crawled_without_crawler_behaviour if {
	inp := testing.patch({"dataset": _crawled, "job": _gpai})
	reasons := _deny(json.remove(inp, ["dataset/origin/crawler/honoursRobotsTxt", "dataset/origin/crawler/honoursTdmReservationProtocol"]))
	{r.message | some r in reasons; contains(r.message, "honours")} == {
		"job job-bielik-research-7 trains a general-purpose model and dataset ds-speakleash-pl-public@2026.10 lacks origin.crawler.honoursRobotsTxt for the training-content summary",
		"job job-bielik-research-7 trains a general-purpose model and dataset ds-speakleash-pl-public@2026.10 lacks origin.crawler.honoursTdmReservationProtocol for the training-content summary",
	}
}

test_deny_job_not_stating_general_purpose if {
	reasons := _deny(testing.without("job", "generalPurposeModel"))
	testing.rule_ids(reasons) == {"gpai-summary"}
	some r in reasons
	contains(r.message, "general-purpose")
}
