"""Russian and Kazakh words: how they change their form (:mod:`analysis.lang.morph`) and
the names of states in every form (:mod:`analysis.lang.names`), so that "Франция", "во
Францию" and "Францияның" are one state.
"""
