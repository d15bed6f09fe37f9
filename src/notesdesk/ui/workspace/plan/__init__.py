"""The treatment plan tab: the tree editor, its forms, reviews, versions and what the scores suggest."""
