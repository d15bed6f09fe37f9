"""The Notes tab: session notes, their editor, sections, plan links, addenda and note templates."""
