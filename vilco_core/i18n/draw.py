"""Messages of the draw pages (pages/draw.py, pages/verify.py) and of stored draws (draws.*)."""

from __future__ import annotations


def _m(fr: str, nl: str, en: str) -> dict[str, str]:
    return {"fr": fr, "nl": nl, "en": en}


MESSAGES: dict[str, dict[str, str]] = {
    "nav.draw": _m("Tirage au sort", "Loting", "Draw by lot"),
    "nav.verify": _m("Vérifier un tirage", "Een loting controleren", "Check a draw"),
    # -- the draw page
    "draw.title": _m("Tirage au sort d'un panel", "Loting van een panel", "Drawing a panel by lot"),
    "draw.pick": _m("Tirage", "Loting", "Draw"),
    "draw.new": _m("Nouveau tirage", "Nieuwe loting", "New draw"),
    "draw.state_published": _m(
        "loterie publiée, graine à tirer",
        "loterij gepubliceerd, zaad te trekken",
        "lottery published, seed to come",
    ),
    "draw.state_drawn": _m("panel tiré", "panel geloot", "panel drawn"),
    "draw.title_field": _m("Intitulé du tirage", "Titel van de loting", "Title of the draw"),
    "draw.default_title": _m("Panel citoyen", "Burgerpanel", "Citizen panel"),
    "draw.method": _m("Méthode", "Methode", "Method"),
    "draw.method_leximin": _m(
        "LEXIMIN (recommandé)", "LEXIMIN (aanbevolen)", "LEXIMIN (recommended)"
    ),
    "draw.method_maximin": _m("MAXIMIN", "MAXIMIN", "MAXIMIN"),
    "draw.method_legacy": _m("Ancien algorithme glouton", "Oud gulzig algoritme", "Legacy greedy"),
    "draw.method_uniform": _m(
        "Uniforme (k parmi n, sans quotas)",
        "Uniform (k uit n, zonder quota)",
        "Uniform (k of n, no quotas)",
    ),
    "draw.method_help_leximin": _m(
        "Respecte les quotas en donnant à chaque volontaire une chance aussi égale que possible "
        "(Flanigan et al., Nature 2021).",
        "Respecteert de quota en geeft elke vrijwilliger een zo gelijk mogelijke kans "
        "(Flanigan et al., Nature 2021).",
        "Meets the quotas while giving every volunteer as equal a chance as possible "
        "(Flanigan et al., Nature 2021).",
    ),
    "draw.method_help_maximin": _m(
        "Respecte les quotas en maximisant la plus petite chance d'être tiré.",
        "Respecteert de quota en maximaliseert de kleinste kans om geloot te worden.",
        "Meets the quotas while maximising the smallest chance of being drawn.",
    ),
    "draw.method_help_legacy": _m(
        "L'algorithme glouton d'avant 2021 : les probabilités sont estimées, pas exactes.",
        "Het gulzige algoritme van vóór 2021: de kansen zijn geschat, niet exact.",
        "The pre-2021 greedy algorithm: probabilities are estimated, not exact.",
    ),
    "draw.method_help_uniform": _m(
        "Chacun a la même chance k/n ; les quotas ne sont pas appliqués.",
        "Iedereen heeft dezelfde kans k/n; de quota worden niet toegepast.",
        "Everyone has the same chance k/n; quotas are not applied.",
    ),
    "draw.size": _m("Taille du panel", "Grootte van het panel", "Panel size"),
    "draw.alternates": _m("Suppléants", "Vervangers", "Alternates"),
    "draw.use_demo": _m(
        "Utiliser le vivier de démonstration (300 volontaires fictifs)",
        "De demopool gebruiken (300 fictieve vrijwilligers)",
        "Use the demo pool (300 fictitious volunteers)",
    ),
    "draw.files_help": _m(
        "Vivier : une colonne id et une colonne par critère (les autres colonnes — noms, "
        "contacts — ne sont ni utilisées ni publiées). Quotas : feature,value,min,max.",
        "Pool: een kolom id en een kolom per criterium (andere kolommen — namen, contactgegevens "
        "— worden niet gebruikt of gepubliceerd). Quota: feature,value,min,max.",
        "Pool: an id column and one column per criterion (other columns — names, contacts — are "
        "neither used nor published). Quotas: feature,value,min,max.",
    ),
    "draw.pool_file": _m(
        "Vivier de volontaires (CSV)", "Pool van vrijwilligers (CSV)", "Pool of volunteers (CSV)"
    ),
    "draw.quotas_file": _m("Quotas (CSV)", "Quota (CSV)", "Quotas (CSV)"),
    "draw.not_utf8": _m(
        "Le fichier {name} n'est pas en UTF-8.",
        "Het bestand {name} is niet in UTF-8.",
        "The file {name} is not UTF-8.",
    ),
    "draw.need_files": _m(
        "Chargez le vivier et les quotas pour préparer le tirage.",
        "Laad de pool en de quota op om de loting voor te bereiden.",
        "Upload the pool and the quotas to prepare the draw.",
    ),
    "draw.quotas_heading": _m(
        "Quotas — {people} volontaires, panel de {size}",
        "Quota — {people} vrijwilligers, panel van {size}",
        "Quotas — {people} volunteers, panel of {size}",
    ),
    "draw.col_feature": _m("Critère", "Criterium", "Criterion"),
    "draw.col_value": _m("Valeur", "Waarde", "Value"),
    "draw.col_min": _m("Min", "Min", "Min"),
    "draw.col_max": _m("Max", "Max", "Max"),
    "draw.col_in_pool": _m("Dans le vivier", "In de pool", "In the pool"),
    "draw.col_target": _m("Cible", "Doel", "Target"),
    "draw.col_drawn": _m("Tirés", "Geloot", "Drawn"),
    "draw.col_met": _m("Respecté", "Gehaald", "Met"),
    "draw.col_rank": _m("Rang", "Rang", "Rank"),
    "draw.compute": _m("Calculer la loterie", "De loterij berekenen", "Compute the lottery"),
    "draw.cancel": _m("Annuler le calcul", "Berekening annuleren", "Cancel the computation"),
    "draw.computing": _m(
        "Calcul de la loterie…", "Loterij wordt berekend…", "Computing the lottery…"
    ),
    "draw.progress": _m(
        "{done}/{total} groupes fixés · {panels} panels envisagés",
        "{done}/{total} groepen vastgelegd · {panels} panels overwogen",
        "{done}/{total} groups settled · {panels} panels considered",
    ),
    "draw.computed": _m(
        "Loterie calculée ({panels} panels possibles)",
        "Loterij berekend ({panels} mogelijke panels)",
        "Lottery computed ({panels} possible panels)",
    ),
    "draw.compute_failed": _m(
        "Le calcul a échoué", "De berekening is mislukt", "The computation failed"
    ),
    "draw.lottery_ready": _m(
        "Loterie prête ({method}). Publiez-la avant de tirer la graine.",
        "Loterij klaar ({method}). Publiceer ze vóór het zaad getrokken wordt.",
        "Lottery ready ({method}). Publish it before the seed is drawn.",
    ),
    "draw.lottery_sha256": _m(
        "Empreinte SHA-256 de la loterie", "SHA-256 van de loterij", "Lottery SHA-256"
    ),
    "draw.pool_sha256": _m("SHA-256 du vivier", "SHA-256 van de pool", "Pool SHA-256"),
    "draw.quotas_sha256": _m("SHA-256 des quotas", "SHA-256 van de quota", "Quotas SHA-256"),
    "draw.publish_help": _m(
        "Publier fige la loterie : son empreinte est affichée et ne pourra plus changer. "
        "La graine sera ensuite tirée en public.",
        "Publiceren legt de loterij vast: de vingerafdruk wordt getoond en kan niet meer "
        "veranderen. Daarna wordt het zaad in het openbaar getrokken.",
        "Publishing freezes the lottery: its hash is shown and can no longer change. "
        "The seed is then drawn in public.",
    ),
    "draw.publish": _m("Publier la loterie", "De loterij publiceren", "Publish the lottery"),
    "draw.published": _m(
        "Loterie publiée. Place à la cérémonie : la graine se tire en public.",
        "Loterij gepubliceerd. Tijd voor de ceremonie: het zaad wordt in het openbaar getrokken.",
        "Lottery published. On to the ceremony: the seed is drawn in public.",
    ),
    "draw.projector": _m(
        "Mode projecteur (masque le menu)",
        "Projectormodus (verbergt het menu)",
        "Projector mode (hides the menu)",
    ),
    "draw.board_facts": _m(
        "Méthode {method} · panel de {size} · vilco {version} · publiée le {published}",
        "Methode {method} · panel van {size} · vilco {version} · gepubliceerd op {published}",
        "Method {method} · panel of {size} · vilco {version} · published {published}",
    ),
    "draw.ceremony_help": _m(
        "Les témoins lancent les dés devant le public ; saisissez le résultat comme graine, "
        "puis le nom des témoins. La graine ne peut être saisie qu'une seule fois.",
        "De getuigen werpen de dobbelstenen voor het publiek; voer het resultaat in als zaad, "
        "en dan de namen van de getuigen. Het zaad kan maar één keer ingevoerd worden.",
        "Witnesses roll the dice in front of the public; enter the result as the seed, then the "
        "witnesses' names. The seed can be entered only once.",
    ),
    "draw.seed": _m("Graine", "Zaad", "Seed"),
    "draw.seed_input": _m(
        "Graine (par ex. les dés lancés par les témoins)",
        "Zaad (bv. de dobbelstenen geworpen door de getuigen)",
        "Seed (e.g. the dice rolled by the witnesses)",
    ),
    "draw.witnesses": _m("Témoins", "Getuigen", "Witnesses"),
    "draw.witnesses_input": _m(
        "Témoins (un nom par ligne)", "Getuigen (één naam per regel)", "Witnesses (one name a line)"
    ),
    "draw.draw_button": _m("Tirer le panel", "Het panel loten", "Draw the panel"),
    "draw.drawn": _m("Le panel est tiré.", "Het panel is geloot.", "The panel is drawn."),
    "draw.drawn_at": _m("Tiré le {moment}", "Geloot op {moment}", "Drawn {moment}"),
    "draw.panel_drawn": _m(
        "{count} membres tirés ; tous les quotas sont respectés.",
        "{count} leden geloot; alle quota zijn gehaald.",
        "{count} members drawn; every quota is met.",
    ),
    "draw.quotas_broken": _m(
        "Un quota n'est pas respecté : ce tirage ne devrait pas exister.",
        "Een quotum is niet gehaald: deze loting zou niet mogen bestaan.",
        "A quota is not met: this draw should not exist.",
    ),
    "draw.quotas_result": _m(
        "Quotas : cibles et tirés", "Quota: doelen en geloot", "Quotas: targets and drawn"
    ),
    "draw.members": _m("Panel ({count})", "Panel ({count})", "Panel ({count})"),
    "draw.alternates_heading": _m(
        "Suppléants ({count})", "Vervangers ({count})", "Alternates ({count})"
    ),
    "draw.chart_title": _m(
        "Probabilités de sélection, triées",
        "Selectiekansen, gesorteerd",
        "Selection probabilities, sorted",
    ),
    "draw.chart_x": _m(
        "Volontaires (du moins au plus probable)",
        "Vrijwilligers (van minst naar meest waarschijnlijk)",
        "Volunteers (least to most likely)",
    ),
    "draw.chart_y": _m(
        "Probabilité d'être tiré", "Kans om geloot te worden", "Chance of being drawn"
    ),
    "draw.chart_uniform": _m("Uniforme k/n", "Uniform k/n", "Uniform k/n"),
    "draw.estimated": _m(
        "Probabilités estimées (ancien algorithme), pas exactes.",
        "Geschatte kansen (oud algoritme), niet exact.",
        "Estimated probabilities (legacy algorithm), not exact.",
    ),
    "draw.download_panel": _m("Panel (CSV)", "Panel (CSV)", "Panel (CSV)"),
    "draw.download_alternates": _m("Suppléants (CSV)", "Vervangers (CSV)", "Alternates (CSV)"),
    "draw.download_lottery": _m("Fichier de loterie", "Loterijbestand", "Lottery file"),
    "draw.download_pool": _m(
        "Vivier publié (CSV)", "Gepubliceerde pool (CSV)", "Published pool (CSV)"
    ),
    # -- errors of stored draws
    "draws.not_found": _m(
        "Tirage {id} introuvable.", "Loting {id} niet gevonden.", "Draw {id} not found."
    ),
    "draws.already_drawn": _m(
        "Le tirage {id} a déjà été effectué : il ne peut pas être refait.",
        "Loting {id} is al uitgevoerd: ze kan niet opnieuw.",
        "Draw {id} has already been drawn: it cannot be redrawn.",
    ),
    "draws.not_drawn": _m(
        "La graine du tirage {id} n'a pas encore été tirée.",
        "Het zaad van loting {id} is nog niet getrokken.",
        "The seed of draw {id} has not been drawn yet.",
    ),
    "draws.title_required": _m(
        "Donnez un intitulé au tirage (200 caractères au plus).",
        "Geef de loting een titel (hoogstens 200 tekens).",
        "Give the draw a title (200 characters at most).",
    ),
    "draws.alternates_invalid": _m(
        "Le nombre de suppléants doit être entre 0 et {maximum}.",
        "Het aantal vervangers moet tussen 0 en {maximum} liggen.",
        "The number of alternates must be between 0 and {maximum}.",
    ),
    "draws.seed_too_long": _m(
        "La graine fait plus de {maximum} caractères.",
        "Het zaad is langer dan {maximum} tekens.",
        "The seed is longer than {maximum} characters.",
    ),
    "draws.witness_required": _m(
        "Indiquez le nom d'au moins un témoin.",
        "Geef de naam van minstens één getuige op.",
        "Give the name of at least one witness.",
    ),
    "draws.witness_too_long": _m(
        "Un nom de témoin fait plus de {maximum} caractères.",
        "Een getuigennaam is langer dan {maximum} tekens.",
        "A witness name is longer than {maximum} characters.",
    ),
    # -- the public check page
    "verify.title": _m("Vérifier un tirage au sort", "Een loting controleren", "Check a draw"),
    "verify.intro": _m(
        "Chacun peut refaire un tirage publié : la loterie (fixée avant la graine), le vivier "
        "publié (identifiants et critères seulement) et la graine donnent toujours le même panel.",
        "Iedereen kan een gepubliceerde loting overdoen: de loterij (vastgelegd vóór het zaad), "
        "de gepubliceerde pool (enkel id's en criteria) en het zaad geven altijd hetzelfde panel.",
        "Anyone can replay a published draw: the lottery (fixed before the seed), the published "
        "pool (ids and criteria only) and the seed always give the same panel.",
    ),
    "verify.source": _m("Loterie", "Loterij", "Lottery"),
    "verify.source_published": _m(
        "Un tirage publié ici", "Een hier gepubliceerde loting", "A draw published here"
    ),
    "verify.source_file": _m("Un fichier de loterie", "Een loterijbestand", "A lottery file"),
    "verify.none": _m(
        "Aucun tirage publié pour l'instant.",
        "Nog geen gepubliceerde loting.",
        "No draw published yet.",
    ),
    "verify.pick": _m("Tirage publié", "Gepubliceerde loting", "Published draw"),
    "verify.published_facts": _m(
        "Empreinte publiée : {sha} · graine : {seed}",
        "Gepubliceerde vingerafdruk: {sha} · zaad: {seed}",
        "Published hash: {sha} · seed: {seed}",
    ),
    "verify.use_published_pool": _m(
        "Utiliser le vivier publié", "De gepubliceerde pool gebruiken", "Use the published pool"
    ),
    "verify.lottery_file": _m(
        "Fichier de loterie (.json)", "Loterijbestand (.json)", "Lottery file (.json)"
    ),
    "verify.expected_sha256": _m(
        "Empreinte SHA-256 publiée (facultatif)",
        "Gepubliceerde SHA-256 (optioneel)",
        "Published SHA-256 (optional)",
    ),
    "verify.seed": _m("Graine", "Zaad", "Seed"),
    "verify.check": _m("Vérifier", "Controleren", "Check"),
    "verify.files_missing": _m(
        "Chargez le fichier de loterie et le vivier.",
        "Laad het loterijbestand en de pool op.",
        "Upload the lottery file and the pool.",
    ),
    "verify.pool_mismatch": _m(
        "Ce vivier n'est pas celui de la loterie : les empreintes ou les personnes diffèrent.",
        "Deze pool is niet die van de loterij: de vingerafdrukken of de personen verschillen.",
        "This pool is not the lottery's: the hashes or the people differ.",
    ),
    "verify.same_panel": _m(
        "Même panel : les {count} membres tirés sont retrouvés à l'identique.",
        "Zelfde panel: de {count} gelote leden worden identiek teruggevonden.",
        "Same panel: the {count} members drawn are found again, identical.",
    ),
    "verify.panel_differs": _m(
        "Panel différent de celui publié : la graine, la loterie ou le vivier ne "
        "correspondent pas.",
        "Ander panel dan het gepubliceerde: het zaad, de loterij of de pool komt niet overeen.",
        "A different panel from the published one: the seed, lottery or pool do not match.",
    ),
    "verify.replayed": _m(
        "Panel obtenu avec cette graine ({count} membres).",
        "Panel verkregen met dit zaad ({count} leden).",
        "Panel obtained with this seed ({count} members).",
    ),
    "verify.pool_stated": _m(
        "SHA-256 du vivier (selon la loterie)",
        "SHA-256 van de pool (volgens de loterij)",
        "Pool SHA-256 (stated by the lottery)",
    ),
    "verify.pool_computed": _m(
        "SHA-256 du vivier (recalculée)",
        "SHA-256 van de pool (herberekend)",
        "Pool SHA-256 (recomputed)",
    ),
    "verify.ticket": _m("Billet tiré", "Getrokken lot", "Ticket drawn"),
    "verify.reproduced_panel": _m("Panel recalculé", "Herberekend panel", "Panel replayed"),
    "verify.published_panel": _m("Panel publié", "Gepubliceerd panel", "Published panel"),
}
