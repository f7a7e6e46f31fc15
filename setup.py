"""Installs the portal's CKAN plugins (ckanext.openoverheid), its CKAN-free feed clients (harvesters)
and its metadata schemas (schemas/, installed as ckanext.openoverheid.schemas so that
ckanext-scheming can load them by module path)."""

from setuptools import find_namespace_packages, find_packages, setup

plugin_packages = find_namespace_packages(where="ckanext-openoverheid", include=["ckanext.*"])
harvester_packages = ["harvesters"] + [f"harvesters.{p}" for p in find_packages(where="harvesters")]

setup(
    name="ckanext-openoverheid",
    version="0.1.0",
    description="Open-government portal for Dutch public bodies, as CKAN 2.12 extensions",
    long_description=open("README.md", encoding="utf-8").read(),
    long_description_content_type="text/markdown",
    license="AGPL-3.0-or-later",
    python_requires=">=3.11,<3.12",
    packages=plugin_packages + harvester_packages + ["ckanext.openoverheid.schemas"],
    package_dir={
        "ckanext": "ckanext-openoverheid/ckanext",
        "harvesters": "harvesters",
        "ckanext.openoverheid.schemas": "schemas",
    },
    include_package_data=True,
    package_data={
        "ckanext.openoverheid": [
            "templates/**/*",
            "*/templates/**/*",
            "assets/**/*",
            "*/assets/**/*",
            "public/**/*",
            "i18n/**/*",
            "migration/**/*",
            "config_declaration.yaml",
            "*/config_declaration.yaml",
            "demo/data/*",
            "api/*.yaml",
            "quality/*.yaml",
            "quality/shapes/*",
        ],
        "ckanext.openoverheid.schemas": ["*.yaml", "*.json", "*.csv", "valuelists/*"],
    },
    install_requires=[
        "ckan[requirements]==2.12.0",
        "ckanext-scheming==3.1.0",
        "ckanext-dcat==2.4.4",
        "ckanext-harvest==1.6.3",
        "pyshacl",  # the metadata quality score's DCAT-AP compliance (quality/compliance.py)
    ],
    extras_require={
        "test": ["ckan[dev]==2.12.0", "ckanapi", "feedparser", "hypothesis", "ruff", "mypy"],
    },
    entry_points={
        "ckan.plugins": [
            "openoverheid = ckanext.openoverheid.plugin:OpenOverheidPlugin",
            "openoverheid_participatie = ckanext.openoverheid.meldingen.plugin:ParticipatiePlugin",
            "openoverheid_woo = ckanext.openoverheid.woo.plugin:WooPlugin",
            "openoverheid_attenderingen = ckanext.openoverheid.attenderingen.plugin:AttenderingenPlugin",
            "openoverheid_verzoeken = ckanext.openoverheid.verzoeken.plugin:VerzoekenPlugin",
            "openoverheid_vergunningen = ckanext.openoverheid.vergunningen.plugin:VergunningenPlugin",
            "openoverheid_afvalkalender = ckanext.openoverheid.afvalkalender.plugin:AfvalkalenderPlugin",
            "openoverheid_harvest = ckanext.openoverheid.harvest.plugin:OpenOverheidHarvestPlugin",
            "openoverheid_vergunningen_harvester = ckanext.openoverheid.harvest.vergunningen:VergunningenHarvester",
            "openoverheid_afvalkalender_harvester = ckanext.openoverheid.harvest.afvalkalender:AfvalkalenderHarvester",
            "openoverheid_dcat_harvester = ckanext.openoverheid.harvest.dcat_rdf:OpenOverheidDCATRDFHarvester",
            "openoverheid_ckan_harvester = ckanext.openoverheid.harvest.ckan_remote:OpenOverheidCKANHarvester",
        ],
        "ckan.rdf.profiles": [
            "openoverheid_donl = ckanext.openoverheid.dcat.profile:OpenOverheidDONLProfile",
            "openoverheid_donl_ap2 = ckanext.openoverheid.dcat.profile:OpenOverheidDONLAP2Profile",
        ],
    },
)
