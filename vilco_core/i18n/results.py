"""Catalogue of the results page, the ballot settings of a process and ballot storage errors."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    "nav.results": {"fr": "Résultats", "nl": "Resultaten", "en": "Results"},
    # ballot settings of a process (process form)
    "processes.ballot": {
        "fr": "Bulletin de vote",
        "nl": "Stembiljet",
        "en": "Ballot",
    },
    "field.ballot_kind": {"fr": "Type de bulletin", "nl": "Soort stembiljet", "en": "Ballot type"},
    "ballot_kind.approval": {
        "fr": "Approbation (cocher des projets)",
        "nl": "Goedkeuring (projecten aanvinken)",
        "en": "Approval (tick projects)",
    },
    "ballot_kind.knapsack": {
        "fr": "Sac à dos (composer dans le budget)",
        "nl": "Rugzak (binnen het budget kiezen)",
        "en": "Knapsack (fit the budget)",
    },
    "ballot_kind.cumulative": {
        "fr": "Points à répartir",
        "nl": "Punten verdelen",
        "en": "Cumulative points",
    },
    "field.ballot_min_projects": {
        "fr": "Projets au minimum",
        "nl": "Minimum aantal projecten",
        "en": "Fewest projects",
    },
    "field.ballot_max_projects": {
        "fr": "Projets au maximum (0 : sans limite)",
        "nl": "Maximum aantal projecten (0: geen limiet)",
        "en": "Most projects (0: no limit)",
    },
    "field.ballot_budget": {
        "fr": "Budget du bulletin (€, vide : l'enveloppe)",
        "nl": "Budget van het stembiljet (€, leeg: het totale budget)",
        "en": "Ballot budget (€, empty: the envelope)",
    },
    "field.ballot_min_share": {
        "fr": "Part minimale du budget à utiliser (%)",
        "nl": "Minimaal te gebruiken deel van het budget (%)",
        "en": "Least share of the budget to use (%)",
    },
    "field.ballot_total_points": {
        "fr": "Points à répartir",
        "nl": "Te verdelen punten",
        "en": "Points to hand out",
    },
    "field.ballot_max_points": {
        "fr": "Points au maximum par projet (0 : sans limite)",
        "nl": "Maximum punten per project (0: geen limiet)",
        "en": "Most points per project (0: no limit)",
    },
    "errors.ballot_kind_unknown": {
        "fr": "Type de bulletin inconnu « {kind} ».",
        "nl": "Onbekende soort stembiljet ‘{kind}’.",
        "en": "Unknown ballot type ‘{kind}’.",
    },
    "errors.ballot_projects_range": {
        "fr": "Le nombre de projets par bulletin doit aller de 1 à {maximum}, "
        "le minimum ne dépassant pas le maximum.",
        "nl": "Het aantal projecten per stembiljet moet tussen 1 en {maximum} liggen, "
        "het minimum niet boven het maximum.",
        "en": "Projects per ballot must be between 1 and {maximum}, "
        "the fewest no more than the most.",
    },
    "errors.ballot_budget_invalid": {
        "fr": "Le budget du bulletin doit être un montant positif.",
        "nl": "Het budget van het stembiljet moet een positief bedrag zijn.",
        "en": "The ballot budget must be a positive amount.",
    },
    "errors.ballot_min_share_invalid": {
        "fr": "La part minimale du budget doit aller de 0 à 100 %.",
        "nl": "Het minimale deel van het budget moet tussen 0 en 100 % liggen.",
        "en": "The least share of the budget must be between 0 and 100%.",
    },
    "errors.ballot_points_invalid": {
        "fr": "Un bulletin à points demande de 1 à {maximum} points à répartir "
        "et au moins 1 point par projet.",
        "nl": "Een puntenstembiljet vraagt 1 tot {maximum} te verdelen punten "
        "en minstens 1 punt per project.",
        "en": "A points ballot needs 1 to {maximum} points to hand out "
        "and at least 1 point per project.",
    },
    # storing a ballot
    "ballot.unknown_channel": {
        "fr": "Canal de vote inconnu « {channel} ».",
        "nl": "Onbekend stemkanaal ‘{channel}’.",
        "en": "Unknown voting channel ‘{channel}’.",
    },
    "ballot.unknown_site": {
        "fr": "Le lieu de vote {site} n'appartient pas à ce processus.",
        "nl": "De stemplaats {site} hoort niet bij dit proces.",
        "en": "Voting site {site} does not belong to this process.",
    },
    "ballot.vote_closed": {
        "fr": "Le vote n'est pas ouvert aujourd'hui.",
        "nl": "De stemming is vandaag niet open.",
        "en": "The vote is not open today.",
    },
    # the results page
    "results.title": {
        "fr": "Résultats du vote",
        "nl": "Resultaten van de stemming",
        "en": "Vote results",
    },
    "results.rule": {
        "fr": "Règle annoncée : **{rule}**",
        "nl": "Aangekondigde regel: **{rule}**",
        "en": "Announced rule: **{rule}**",
    },
    "results.provisional": {
        "fr": "Résultats provisoires : le vote est ouvert jusqu'au {end}. "
        "Ils changeront avec les prochains bulletins.",
        "nl": "Voorlopige resultaten: de stemming loopt tot {end}. "
        "Ze veranderen nog met de volgende stembiljetten.",
        "en": "Provisional results: the vote is open until {end}. "
        "They will change as ballots come in.",
    },
    "results.provisional_short": {
        "fr": "PROVISOIRE",
        "nl": "VOORLOPIG",
        "en": "PROVISIONAL",
    },
    "results.no_vote_phase": {
        "fr": "Résultats provisoires : ce processus n'a pas de phase de vote datée.",
        "nl": "Voorlopige resultaten: dit proces heeft geen gedateerde stemfase.",
        "en": "Provisional results: this process has no dated vote phase.",
    },
    "results.final": {
        "fr": "Résultats définitifs : le vote est clos.",
        "nl": "Definitieve resultaten: de stemming is afgesloten.",
        "en": "Final results: the vote is closed.",
    },
    "results.computing": {
        "fr": "Calcul des résultats…",
        "nl": "Resultaten worden berekend…",
        "en": "Computing the results…",
    },
    "results.computed": {
        "fr": "Résultats calculés sur {count} bulletins.",
        "nl": "Resultaten berekend op {count} stembiljetten.",
        "en": "Results computed from {count} ballots.",
    },
    "results.no_ballots": {
        "fr": "Aucun bulletin pour l'instant : les résultats apparaîtront avec les premiers votes.",
        "nl": "Nog geen stembiljetten: de resultaten verschijnen met de eerste stemmen.",
        "en": "No ballots yet: results will appear with the first votes.",
    },
    "results.dropped": {
        "fr": "{count} choix portaient sur des projets qui ne sont plus soumis au vote "
        "et n'ont pas été comptés.",
        "nl": "{count} keuzes betroffen projecten die niet meer ter stemming liggen "
        "en werden niet meegeteld.",
        "en": "{count} choices named projects no longer on the ballot and were not counted.",
    },
    "results.ballots": {"fr": "Bulletins", "nl": "Stembiljetten", "en": "Ballots"},
    "results.winner_count": {
        "fr": "Projets retenus",
        "nl": "Gekozen projecten",
        "en": "Projects selected",
    },
    "results.spent": {"fr": "Budget attribué", "nl": "Toegekend budget", "en": "Budget allocated"},
    "results.envelope": {"fr": "Enveloppe", "nl": "Budget", "en": "Envelope"},
    "results.budget_bar": {
        "fr": "{spent} attribués sur {envelope} ({percent} %)",
        "nl": "{spent} toegekend van {envelope} ({percent} %)",
        "en": "{spent} allocated out of {envelope} ({percent}%)",
    },
    "results.winners": {
        "fr": "Projets retenus",
        "nl": "Gekozen projecten",
        "en": "Selected projects",
    },
    "results.chart": {
        "fr": "Voix et coût de chaque projet",
        "nl": "Stemmen en kostprijs van elk project",
        "en": "Votes and cost of each project",
    },
    "results.votes": {"fr": "Voix", "nl": "Stemmen", "en": "Votes"},
    "results.cost": {"fr": "Coût (€)", "nl": "Kostprijs (€)", "en": "Cost (€)"},
    "results.project": {"fr": "Projet", "nl": "Project", "en": "Project"},
    "results.outcome": {"fr": "Résultat", "nl": "Uitslag", "en": "Outcome"},
    "results.selected": {"fr": "Retenu", "nl": "Gekozen", "en": "Selected"},
    "results.not_selected": {"fr": "Non retenu", "nl": "Niet gekozen", "en": "Not selected"},
    "results.explanations": {
        "fr": "Pourquoi chaque projet est retenu ou non",
        "nl": "Waarom elk project wel of niet gekozen is",
        "en": "Why each project is selected or not",
    },
    "results.why": {"fr": "Explication", "nl": "Uitleg", "en": "Explanation"},
    "results.voter_share": {
        "fr": "Avec les Parts égales, chaque votant reçoit une part égale du budget "
        "({share} après la complétion) et ne paie que pour les projets qu'il soutient.",
        "nl": "Met Gelijke delen krijgt elke stemmer een gelijk deel van het budget "
        "({share} na de aanvulling) en betaalt alleen voor de projecten die hij steunt.",
        "en": "With Equal Shares, each voter gets an equal share of the budget "
        "({share} after the completion) and pays only for projects they support.",
    },
    "results.compare": {
        "fr": "Ce qui change avec les Parts égales",
        "nl": "Wat er verandert met Gelijke delen",
        "en": "What changes with Equal Shares",
    },
    "results.compare_help": {
        "fr": "La méthode gloutonne retient les projets les plus soutenus tant que le budget "
        "suffit ; les Parts égales partagent le budget entre les votants, "
        "pour que chaque groupe obtienne sa juste part.",
        "nl": "De gretige methode kiest de meest gesteunde projecten zolang het budget "
        "volstaat; Gelijke delen verdeelt het budget over de stemmers, "
        "zodat elke groep zijn eerlijk deel krijgt.",
        "en": "Greedy takes the most supported projects while the budget lasts; "
        "Equal Shares splits the budget among the voters, so every group gets its fair share.",
    },
    "results.greedy_column": {
        "fr": "Glouton : {count} projets, {spent}",
        "nl": "Gretig: {count} projecten, {spent}",
        "en": "Greedy: {count} projects, {spent}",
    },
    "results.mes_column": {
        "fr": "Parts égales : {count} projets, {spent}",
        "nl": "Gelijke delen: {count} projecten, {spent}",
        "en": "Equal Shares: {count} projects, {spent}",
    },
    "results.entering": {
        "fr": "Entrent avec les Parts égales",
        "nl": "Komen erbij met Gelijke delen",
        "en": "Enter with Equal Shares",
    },
    "results.leaving": {
        "fr": "Sortent avec les Parts égales",
        "nl": "Vallen af met Gelijke delen",
        "en": "Leave with Equal Shares",
    },
    "results.no_change": {
        "fr": "Les deux règles retiennent les mêmes projets.",
        "nl": "Beide regels kiezen dezelfde projecten.",
        "en": "Both rules select the same projects.",
    },
    "results.map": {
        "fr": "Les projets retenus sur la carte",
        "nl": "De gekozen projecten op de kaart",
        "en": "The selected projects on the map",
    },
    "results.map_legend": {
        "fr": "En vert : retenus ; en rouge : non retenus. La taille d'un point suit le coût.",
        "nl": "In het groen: gekozen; in het rood: niet gekozen. De grootte volgt de kostprijs.",
        "en": "Green: selected; red: not selected. A point's size follows the cost.",
    },
    "results.downloads": {"fr": "Télécharger", "nl": "Downloaden", "en": "Download"},
    "results.download_csv": {
        "fr": "Résultats (CSV)",
        "nl": "Resultaten (CSV)",
        "en": "Results (CSV)",
    },
    "results.download_pb": {
        "fr": "Bulletins anonymes (Pabulib .pb)",
        "nl": "Anonieme stembiljetten (Pabulib .pb)",
        "en": "Anonymous ballots (Pabulib .pb)",
    },
    "results.download_help": {
        "fr": "Le fichier .pb se recalcule avec n'importe quel outil Pabulib (pabutools…).",
        "nl": "Het .pb-bestand kan met elk Pabulib-hulpmiddel (pabutools…) worden nagerekend.",
        "en": "The .pb file can be recomputed with any Pabulib tool (pabutools…).",
    },
}
