"""Metadata quality: data.europa.eu's Metadata Quality Assessment (MQA) score of each dataset, computed
from the DCAT the portal serves (``mqa.py``), with DCAT-AP compliance by SHACL (``compliance.py``) and
reachability from stored link checks (``links.py``); ``report.py`` puts them together for the action,
the CLI and the dataset page."""
