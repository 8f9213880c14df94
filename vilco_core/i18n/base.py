"""Catalogue of the foundation: navigation, access, processes, projects, map, login, errors."""

from __future__ import annotations

MESSAGES: dict[str, dict[str, str]] = {
    # navigation and access
    "nav.home": {"fr": "Accueil", "nl": "Home", "en": "Home"},
    "nav.map": {"fr": "Carte", "nl": "Kaart", "en": "Map"},
    "nav.processes": {"fr": "Processus", "nl": "Processen", "en": "Processes"},
    "nav.projects": {"fr": "Projets", "nl": "Projecten", "en": "Projects"},
    "nav.login": {"fr": "Connexion du personnel", "nl": "Aanmelden personeel", "en": "Staff login"},
    "nav.account": {"fr": "Mon compte", "nl": "Mijn account", "en": "My account"},
    "nav.section_public": {"fr": "Public", "nl": "Publiek", "en": "Public"},
    "nav.section_staff": {"fr": "Personnel", "nl": "Personeel", "en": "Staff"},
    "access.login_required": {
        "fr": "Cette page est réservée au personnel. Veuillez vous connecter.",
        "nl": "Deze pagina is voorbehouden aan het personeel. Meld u aan.",
        "en": "This page is for staff only. Please log in.",
    },
    "access.forbidden": {
        "fr": "Votre rôle ne permet pas d'accéder à cette page.",
        "nl": "Uw rol geeft geen toegang tot deze pagina.",
        "en": "Your role does not give access to this page.",
    },
    "action.save": {"fr": "Enregistrer", "nl": "Opslaan", "en": "Save"},
    # home
    "home.title": {
        "fr": "vilco — la ville collaborative",
        "nl": "vilco — de collaboratieve stad",
        "en": "vilco — the collaborative city",
    },
    "home.intro": {
        "fr": "Budgets participatifs, appels à projets et panels citoyens "
        "des communes bruxelloises.",
        "nl": "Burgerbegrotingen, projectoproepen en burgerpanels van de Brusselse gemeenten.",
        "en": "Participatory budgets, project calls and citizen panels of Brussels communes.",
    },
    "home.running": {
        "fr": "Processus en cours : {count}",
        "nl": "Lopende processen: {count}",
        "en": "Processes running now: {count}",
    },
    "home.projects": {"fr": "Projets", "nl": "Projecten", "en": "Projects"},
    "home.phase_dates": {
        "fr": "Phase en cours du {start} au {end}",
        "nl": "Huidige fase van {start} tot {end}",
        "en": "Current phase from {start} to {end}",
    },
    # phases, kinds, statuses, roles, rules
    "phase.proposals": {"fr": "Propositions", "nl": "Voorstellen", "en": "Proposals"},
    "phase.support": {
        "fr": "Récolte de soutiens",
        "nl": "Steunbetuigingen",
        "en": "Support collection",
    },
    "phase.deliberation": {
        "fr": "Délibération du panel",
        "nl": "Panelberaadslaging",
        "en": "Panel deliberation",
    },
    "phase.vote": {"fr": "Vote", "nl": "Stemming", "en": "Vote"},
    "phase.results": {"fr": "Résultats", "nl": "Resultaten", "en": "Results"},
    "phase.evaluation": {"fr": "Évaluation", "nl": "Evaluatie", "en": "Evaluation"},
    "phase.none": {"fr": "Hors période", "nl": "Buiten periode", "en": "Not running"},
    "kind.budget": {
        "fr": "Budget participatif",
        "nl": "Burgerbegroting",
        "en": "Participatory budget",
    },
    "kind.call": {"fr": "Appel à projets", "nl": "Projectoproep", "en": "Call for projects"},
    "status.proposed": {"fr": "Proposé", "nl": "Voorgesteld", "en": "Proposed"},
    "status.eligible": {"fr": "Recevable", "nl": "Ontvankelijk", "en": "Eligible"},
    "status.selected": {"fr": "Retenu", "nl": "Geselecteerd", "en": "Selected"},
    "status.rejected": {"fr": "Non retenu", "nl": "Niet geselecteerd", "en": "Not selected"},
    "status.completed": {"fr": "Réalisé", "nl": "Gerealiseerd", "en": "Completed"},
    "role.admin": {"fr": "Administrateur", "nl": "Beheerder", "en": "Administrator"},
    "role.facilitator": {"fr": "Facilitateur", "nl": "Facilitator", "en": "Facilitator"},
    "role.poll_officer": {"fr": "Assesseur", "nl": "Bijzitter", "en": "Poll officer"},
    "rule.greedy": {
        "fr": "Glouton (les plus soutenus d'abord)",
        "nl": "Gretig (meeste steun eerst)",
        "en": "Greedy (most supported first)",
    },
    "rule.greedy-no-skip": {
        "fr": "Glouton sans saut",
        "nl": "Gretig zonder overslaan",
        "en": "Greedy without skipping",
    },
    "rule.greedy-threshold": {
        "fr": "Glouton avec seuil de voix",
        "nl": "Gretig met stemdrempel",
        "en": "Greedy with a vote threshold",
    },
    "rule.mes": {
        "fr": "Parts égales (MES)",
        "nl": "Gelijke delen (MES)",
        "en": "Equal Shares (MES)",
    },
    "rule.phragmen": {
        "fr": "Phragmén séquentiel",
        "nl": "Sequentiële Phragmén",
        "en": "Sequential Phragmén",
    },
    # fields
    "field.process": {"fr": "Processus", "nl": "Proces", "en": "Process"},
    "field.name_fr": {"fr": "Nom (français)", "nl": "Naam (Frans)", "en": "Name (French)"},
    "field.name_nl": {"fr": "Nom (néerlandais)", "nl": "Naam (Nederlands)", "en": "Name (Dutch)"},
    "field.name_en": {"fr": "Nom (anglais)", "nl": "Naam (Engels)", "en": "Name (English)"},
    "field.kind": {"fr": "Type", "nl": "Soort", "en": "Kind"},
    "field.year": {"fr": "Année", "nl": "Jaar", "en": "Year"},
    "field.envelope": {"fr": "Enveloppe (€)", "nl": "Budget (€)", "en": "Envelope (€)"},
    "field.communes": {"fr": "Communes", "nl": "Gemeenten", "en": "Communes"},
    "field.rule": {"fr": "Règle annoncée", "nl": "Aangekondigde regel", "en": "Announced rule"},
    "field.signature_threshold": {
        "fr": "Signatures requises par projet",
        "nl": "Vereiste handtekeningen per project",
        "en": "Signatures required per project",
    },
    "field.rolling": {
        "fr": "Appel ouvert toute l'année (enveloppes trimestrielles)",
        "nl": "Doorlopende oproep (kwartaalbudgetten)",
        "en": "Open all year (quarterly envelopes)",
    },
    "help.rolling": {
        "fr": "L'enveloppe annuelle est répartie en quatre enveloppes trimestrielles.",
        "nl": "Het jaarbudget wordt over vier kwartaalbudgetten verdeeld.",
        "en": "The yearly envelope is split into four quarterly envelopes.",
    },
    "field.phase": {"fr": "Phase", "nl": "Fase", "en": "Phase"},
    "field.starts_on": {"fr": "Début", "nl": "Begin", "en": "Start"},
    "field.ends_on": {"fr": "Fin", "nl": "Einde", "en": "End"},
    "field.key": {"fr": "Clé", "nl": "Sleutel", "en": "Key"},
    "field.amount": {"fr": "Montant (€)", "nl": "Bedrag (€)", "en": "Amount (€)"},
    "field.quarter": {"fr": "Trimestre", "nl": "Kwartaal", "en": "Quarter"},
    "field.ref": {"fr": "Identifiant", "nl": "Kenmerk", "en": "Id"},
    "field.title": {"fr": "Titre", "nl": "Titel", "en": "Title"},
    "field.title_fr": {"fr": "Titre (français)", "nl": "Titel (Frans)", "en": "Title (French)"},
    "field.title_nl": {
        "fr": "Titre (néerlandais)",
        "nl": "Titel (Nederlands)",
        "en": "Title (Dutch)",
    },
    "field.title_en": {"fr": "Titre (anglais)", "nl": "Titel (Engels)", "en": "Title (English)"},
    "field.description_fr": {
        "fr": "Description (français)",
        "nl": "Beschrijving (Frans)",
        "en": "Description (French)",
    },
    "field.description_nl": {
        "fr": "Description (néerlandais)",
        "nl": "Beschrijving (Nederlands)",
        "en": "Description (Dutch)",
    },
    "field.description_en": {
        "fr": "Description (anglais)",
        "nl": "Beschrijving (Engels)",
        "en": "Description (English)",
    },
    "field.cost": {"fr": "Coût (€)", "nl": "Kostprijs (€)", "en": "Cost (€)"},
    "field.status": {"fr": "Statut", "nl": "Status", "en": "Status"},
    "field.lat": {"fr": "Latitude", "nl": "Breedtegraad", "en": "Latitude"},
    "field.lon": {"fr": "Longitude", "nl": "Lengtegraad", "en": "Longitude"},
    "field.district": {"fr": "Quartier", "nl": "Wijk", "en": "District"},
    "field.theme": {"fr": "Thème", "nl": "Thema", "en": "Theme"},
    "field.initiative": {
        "fr": "Initiative porteuse",
        "nl": "Dragend initiatief",
        "en": "Initiative",
    },
    "field.ref_short": {"fr": "Id", "nl": "Id", "en": "Id"},
    "field.sub_budget_name": {
        "fr": "Nom du sous-budget",
        "nl": "Naam van het deelbudget",
        "en": "Sub-budget name",
    },
    # processes page
    "processes.title": {"fr": "Processus", "nl": "Processen", "en": "Processes"},
    "processes.none": {
        "fr": "Aucun processus pour l'instant.",
        "nl": "Nog geen processen.",
        "en": "No process yet.",
    },
    "processes.edit_which": {
        "fr": "Processus à modifier",
        "nl": "Te bewerken proces",
        "en": "Process to edit",
    },
    "processes.new": {
        "fr": "➕ Nouveau processus",
        "nl": "➕ Nieuw proces",
        "en": "➕ New process",
    },
    "processes.phases": {"fr": "Phases et dates", "nl": "Fasen en data", "en": "Phases and dates"},
    "processes.sub_budgets": {
        "fr": "Sous-budgets par quartier ou thème",
        "nl": "Deelbudgetten per wijk of thema",
        "en": "Sub-budgets per district or theme",
    },
    "processes.saved": {
        "fr": "Processus « {name} » enregistré.",
        "nl": "Proces ‘{name}’ opgeslagen.",
        "en": "Process ‘{name}’ saved.",
    },
    "processes.quarters": {
        "fr": "Enveloppes trimestrielles",
        "nl": "Kwartaalbudgetten",
        "en": "Quarterly envelopes",
    },
    # projects page
    "projects.title": {"fr": "Projets", "nl": "Projecten", "en": "Projects"},
    "projects.create": {"fr": "Nouveau projet", "nl": "Nieuw project", "en": "New project"},
    "projects.edit": {"fr": "Modifier", "nl": "Bewerken", "en": "Edit"},
    "projects.edit_which": {
        "fr": "Projet à modifier",
        "nl": "Te bewerken project",
        "en": "Project to edit",
    },
    "projects.import": {"fr": "Importer un CSV", "nl": "CSV importeren", "en": "Import a CSV"},
    "projects.import_help": {
        "fr": "Colonnes requises : {required}. Facultatives : {optional}. Coût en euros. "
        "Si une ligne est invalide, rien n'est importé.",
        "nl": "Verplichte kolommen: {required}. Optioneel: {optional}. Kostprijs in euro. "
        "Is één rij ongeldig, dan wordt niets geïmporteerd.",
        "en": "Required columns: {required}. Optional: {optional}. Cost in euros. "
        "If any row is invalid, nothing is imported.",
    },
    "projects.template": {
        "fr": "Télécharger un modèle",
        "nl": "Sjabloon downloaden",
        "en": "Download a template",
    },
    "projects.csv_file": {"fr": "Fichier CSV", "nl": "CSV-bestand", "en": "CSV file"},
    "projects.import_button": {"fr": "Importer", "nl": "Importeren", "en": "Import"},
    "projects.imported": {
        "fr": "{count} projet(s) importé(s).",
        "nl": "{count} project(en) geïmporteerd.",
        "en": "{count} project(s) imported.",
    },
    "projects.saved": {
        "fr": "Projet « {title} » enregistré.",
        "nl": "Project ‘{title}’ opgeslagen.",
        "en": "Project ‘{title}’ saved.",
    },
    # map
    "map.title": {"fr": "Carte des projets", "nl": "Projectenkaart", "en": "Project map"},
    "map.colour_by": {"fr": "Couleur selon", "nl": "Kleur volgens", "en": "Colour by"},
    "map.by_status": {"fr": "Statut", "nl": "Status", "en": "Status"},
    "map.by_theme": {"fr": "Thème", "nl": "Thema", "en": "Theme"},
    "map.count": {
        "fr": "{count} projet(s). La taille d'un point suit le coût du projet.",
        "nl": "{count} project(en). De grootte van een punt volgt de kostprijs.",
        "en": "{count} project(s). A point's size follows the project's cost.",
    },
    "map.list": {
        "fr": "Liste des projets",
        "nl": "Lijst van de projecten",
        "en": "List of projects",
    },
    "config.cookie_key_refused": {
        "fr": "vilco n'est pas configuré : définissez VILCO_COOKIE_KEY (32 octets au moins). "
        "La clé de démonstration n'est acceptée qu'en mode démo.",
        "nl": "vilco is niet geconfigureerd: stel VILCO_COOKIE_KEY in (minstens 32 bytes). "
        "De demosleutel wordt alleen in demomodus aanvaard.",
        "en": "vilco is not configured: set VILCO_COOKIE_KEY (at least 32 bytes). "
        "The demo key is only accepted in demo mode.",
    },
    # login
    "login.heading": {
        "fr": "Connexion du personnel",
        "nl": "Aanmelden personeel",
        "en": "Staff login",
    },
    "login.title": {"fr": "Se connecter", "nl": "Aanmelden", "en": "Log in"},
    "login.username": {"fr": "Nom d'utilisateur", "nl": "Gebruikersnaam", "en": "Username"},
    "login.password": {"fr": "Mot de passe", "nl": "Wachtwoord", "en": "Password"},
    "login.submit": {"fr": "Se connecter", "nl": "Aanmelden", "en": "Log in"},
    "login.failed": {
        "fr": "Nom d'utilisateur ou mot de passe incorrect.",
        "nl": "Gebruikersnaam of wachtwoord onjuist.",
        "en": "Wrong username or password.",
    },
    "login.locked": {
        "fr": "Trop de tentatives échouées : ce compte est bloqué pendant {minutes} minutes.",
        "nl": "Te veel mislukte pogingen: deze account is {minutes} minuten geblokkeerd.",
        "en": "Too many failed attempts: this account is locked for {minutes} minutes.",
    },
    "login.welcome": {"fr": "Bienvenue, {name}", "nl": "Welkom, {name}", "en": "Welcome, {name}"},
    "login.role": {"fr": "Rôle : {role}", "nl": "Rol: {role}", "en": "Role: {role}"},
    "login.logout": {"fr": "Se déconnecter", "nl": "Afmelden", "en": "Log out"},
    # errors
    "errors.validation": {
        "fr": "{count} problème(s) à corriger.",
        "nl": "{count} probleem/problemen op te lossen.",
        "en": "{count} problem(s) to fix.",
    },
    "errors.in_row": {
        "fr": "Ligne {row} : {message}",
        "nl": "Rij {row}: {message}",
        "en": "Row {row}: {message}",
    },
    "errors.unexpected": {
        "fr": "Une erreur inattendue s'est produite. Rien n'a été enregistré ; veuillez réessayer.",
        "nl": "Er ging iets onverwachts mis. Er werd niets opgeslagen; probeer het opnieuw.",
        "en": "Something unexpected went wrong. Nothing was saved; please try again.",
    },
    "errors.forbidden": {
        "fr": "Action non autorisée pour votre rôle.",
        "nl": "Deze actie is niet toegestaan voor uw rol.",
        "en": "This action is not allowed for your role.",
    },
    "errors.field_required": {
        "fr": "Le champ « {field} » est obligatoire.",
        "nl": "Het veld ‘{field}’ is verplicht.",
        "en": "The field ‘{field}’ is required.",
    },
    "errors.field_too_long": {
        "fr": "Le champ « {field} » dépasse {limit} caractères.",
        "nl": "Het veld ‘{field}’ is langer dan {limit} tekens.",
        "en": "The field ‘{field}’ is longer than {limit} characters.",
    },
    "errors.cost_invalid": {
        "fr": "Le coût doit être un montant positif en euros (par ex. 12500 ou 12500,50).",
        "nl": "De kostprijs moet een positief bedrag in euro zijn (bv. 12500 of 12500,50).",
        "en": "The cost must be a positive amount in euros (e.g. 12500 or 12500.50).",
    },
    "errors.coordinates_invalid": {
        "fr": "Latitude et longitude doivent être des nombres.",
        "nl": "Breedte- en lengtegraad moeten getallen zijn.",
        "en": "Latitude and longitude must be numbers.",
    },
    "errors.outside_brussels": {
        "fr": "Le lieu ({lat}, {lon}) n'est pas dans la Région de Bruxelles-Capitale.",
        "nl": "De plaats ({lat}, {lon}) ligt niet in het Brussels Hoofdstedelijk Gewest.",
        "en": "The place ({lat}, {lon}) is not in the Brussels-Capital Region.",
    },
    "errors.duplicate_ref": {
        "fr": "L'identifiant « {ref} » est déjà utilisé.",
        "nl": "Het kenmerk ‘{ref}’ wordt al gebruikt.",
        "en": "The id ‘{ref}’ is already used.",
    },
    "errors.status_unknown": {
        "fr": "Statut inconnu « {status} ».",
        "nl": "Onbekende status ‘{status}’.",
        "en": "Unknown status ‘{status}’.",
    },
    "errors.csv_missing_columns": {
        "fr": "Colonnes manquantes dans le fichier : {columns}.",
        "nl": "Ontbrekende kolommen in het bestand: {columns}.",
        "en": "Columns missing from the file: {columns}.",
    },
    "errors.csv_encoding": {
        "fr": "Le fichier n'est pas en UTF-8. Enregistrez-le en « CSV UTF-8 ».",
        "nl": "Het bestand is niet in UTF-8. Sla het op als ‘CSV UTF-8’.",
        "en": "The file is not UTF-8. Save it as ‘CSV UTF-8’.",
    },
    "errors.csv_too_large": {
        "fr": "Le fichier dépasse {limit_mb} Mo.",
        "nl": "Het bestand is groter dan {limit_mb} MB.",
        "en": "The file is larger than {limit_mb} MB.",
    },
    "errors.csv_too_many_rows": {
        "fr": "Le fichier dépasse {limit} lignes.",
        "nl": "Het bestand heeft meer dan {limit} rijen.",
        "en": "The file has more than {limit} rows.",
    },
    "errors.csv_extra_cells": {
        "fr": "Plus de cellules que de colonnes.",
        "nl": "Meer cellen dan kolommen.",
        "en": "More cells than columns.",
    },
    "errors.csv_empty": {
        "fr": "Le fichier ne contient aucun projet.",
        "nl": "Het bestand bevat geen projecten.",
        "en": "The file contains no project.",
    },
    "errors.process_not_found": {
        "fr": "Processus introuvable.",
        "nl": "Proces niet gevonden.",
        "en": "Process not found.",
    },
    "errors.process_no_commune": {
        "fr": "Choisissez au moins une commune.",
        "nl": "Kies minstens één gemeente.",
        "en": "Choose at least one commune.",
    },
    "errors.unknown_commune": {
        "fr": "Commune inconnue : {commune}.",
        "nl": "Onbekende gemeente: {commune}.",
        "en": "Unknown commune: {commune}.",
    },
    "errors.envelope_invalid": {
        "fr": "L'enveloppe doit être un montant positif en euros.",
        "nl": "Het budget moet een positief bedrag in euro zijn.",
        "en": "The envelope must be a positive amount in euros.",
    },
    "errors.year_invalid": {
        "fr": "Année invalide : {year}.",
        "nl": "Ongeldig jaar: {year}.",
        "en": "Invalid year: {year}.",
    },
    "errors.rule_unknown": {
        "fr": "Règle inconnue : {rule}.",
        "nl": "Onbekende regel: {rule}.",
        "en": "Unknown rule: {rule}.",
    },
    "errors.threshold_negative": {
        "fr": "Le nombre de signatures requises ne peut pas être négatif.",
        "nl": "Het vereiste aantal handtekeningen kan niet negatief zijn.",
        "en": "The number of required signatures cannot be negative.",
    },
    "errors.sub_budget_duplicate": {
        "fr": "La clé de sous-budget « {key} » apparaît plusieurs fois.",
        "nl": "De sleutel van het deelbudget ‘{key}’ komt meermaals voor.",
        "en": "The sub-budget key ‘{key}’ appears more than once.",
    },
    "errors.sub_budget_negative": {
        "fr": "Le sous-budget « {key} » doit être un montant positif.",
        "nl": "Het deelbudget ‘{key}’ moet een positief bedrag zijn.",
        "en": "The sub-budget ‘{key}’ must be a positive amount.",
    },
    "errors.sub_budgets_exceed_envelope": {
        "fr": "La somme des sous-budgets dépasse l'enveloppe.",
        "nl": "De som van de deelbudgetten is groter dan het totale budget.",
        "en": "The sub-budgets add up to more than the envelope.",
    },
    "errors.phase_dates": {
        "fr": "La phase « {phase} » se termine avant de commencer.",
        "nl": "De fase ‘{phase}’ eindigt voor ze begint.",
        "en": "The phase ‘{phase}’ ends before it starts.",
    },
    "errors.phase_duplicate": {
        "fr": "Une phase apparaît deux fois.",
        "nl": "Een fase komt twee keer voor.",
        "en": "A phase appears twice.",
    },
    "errors.password_too_short": {
        "fr": "Le mot de passe doit compter au moins {minimum} caractères.",
        "nl": "Het wachtwoord moet minstens {minimum} tekens tellen.",
        "en": "The password must have at least {minimum} characters.",
    },
    "errors.username_invalid": {
        "fr": "Nom d'utilisateur invalide (minuscules, sans espace, 60 caractères au plus).",
        "nl": "Ongeldige gebruikersnaam (kleine letters, zonder spaties, hoogstens 60 tekens).",
        "en": "Invalid username (lower case, no spaces, at most 60 characters).",
    },
    "errors.username_taken": {
        "fr": "Le nom d'utilisateur « {username} » existe déjà.",
        "nl": "De gebruikersnaam ‘{username}’ bestaat al.",
        "en": "The username ‘{username}’ already exists.",
    },
    "errors.facilitator_needs_commune": {
        "fr": "Un facilitateur doit être rattaché à au moins une commune.",
        "nl": "Een facilitator moet aan minstens één gemeente gekoppeld zijn.",
        "en": "A facilitator needs at least one commune.",
    },
}
