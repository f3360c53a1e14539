//! The lifecycle of a profile as a graph you can print, as XState's visualiser prints a machine.
//!
//! Nodes are milestones (detected, signs confirmed or dismissed, the principal knows, an instruction,
//! a Rule 43 decision) and obligations; edges say "is triggered by" (solid) and "cannot start before"
//! (dashed). Containment and the report to the principal hang off the same trigger, so they run in
//! parallel; follow-up reports are more events on the same obligation (a self-loop); the PPC duties
//! branch on their condition.
use petgraph::graph::{DiGraph, NodeIndex};
use petgraph::visit::EdgeRef;

use crate::catalog::{Catalog, Clause, Profile, ProfileKind};
use crate::vocab::{Stage, Trigger};

#[derive(Debug, Clone, PartialEq, Eq)]
/// A node of a lifecycle graph: a milestone of the incident or an obligation.
pub enum Node {
    /// The incident is detected.
    Detected {
        /// Whether signs alone start this profile's clocks (兆候・おそれ).
        signs_count: bool,
    },
    /// Only signs were found.
    SignsOnly,
    /// Signs became a confirmed incident.
    Confirmed,
    /// It was not an incident.
    Dismissed,
    /// The principal knows (the contractor's report, or its own knowledge).
    PrincipalKnows,
    /// The principal's instruction.
    Instruction,
    /// A decision on facts (Rule 43: is the PPC duty owed?).
    Decision {
        /// What is decided.
        name: String,
        /// The clause the decision is made under.
        clause: String,
    },
    /// An obligation of the profile.
    Obligation {
        /// The obligation id.
        id: String,
        /// The clause id.
        clause: String,
        /// Its lifecycle stage.
        stage: Stage,
        /// What it asks, in Japanese.
        label: String,
        /// Its legal term (直ちに, 30日以内, …).
        term: String,
    },
    /// The incident is closed.
    Closed,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
/// An edge of a lifecycle graph.
pub enum Edge {
    /// Starts the target's clock (drawn solid).
    Triggers,
    /// Only when the decision says yes.
    IfYes,
    /// Only when the decision says no (drawn dotted).
    IfNo,
    /// The target cannot start before the source (drawn dashed).
    After,
    /// A repeatable step (follow-up reports).
    Repeats,
}

/// A profile's lifecycle as a graph.
pub struct Lifecycle {
    /// The profile id.
    pub profile: String,
    /// The graph.
    pub graph: DiGraph<Node, Edge>,
}

impl Lifecycle {
    /// The lifecycle of a contract profile with its default national layers, or of a national profile alone.
    pub fn build(catalog: &Catalog, profile: &Profile) -> Lifecycle {
        let mut g = DiGraph::new();
        let detected = g.add_node(Node::Detected {
            signs_count: profile.scope.signs,
        });
        let signs = g.add_node(Node::SignsOnly);
        let confirmed = g.add_node(Node::Confirmed);
        let dismissed = g.add_node(Node::Dismissed);
        let knows = g.add_node(Node::PrincipalKnows);
        let closed = g.add_node(Node::Closed);
        g.add_edge(detected, signs, Edge::Triggers);
        g.add_edge(signs, confirmed, Edge::Triggers);
        g.add_edge(signs, dismissed, Edge::Triggers);
        let mut instruction = None;
        let mut layers: Vec<&Profile> = vec![profile];
        if profile.kind == ProfileKind::Contract {
            layers.extend(profile.national.iter().filter_map(|n| catalog.profile(n)));
        }
        let mut all_obligations = Vec::new();
        for p in layers {
            // Where this layer's incident starts: signs count here, or only a confirmed occurrence.
            let start = if p.scope.signs { detected } else { confirmed };
            if !p.scope.signs {
                g.add_edge(detected, confirmed, Edge::Triggers);
            }
            let mut decisions = std::collections::BTreeMap::new();
            let mut ids = std::collections::HashMap::new();
            for c in p.incident_clauses() {
                let n = g.add_node(obligation_node(c));
                ids.insert(c.obligation_id().to_string(), n);
                all_obligations.push(n);
                let from = match c.trigger {
                    Trigger::Incident => start,
                    Trigger::PrincipalKnows => knows,
                    Trigger::Instruction => *instruction.get_or_insert_with(|| {
                        let i = g.add_node(Node::Instruction);
                        g.add_edge(knows, i, Edge::Triggers);
                        i
                    }),
                    Trigger::Standing => continue,
                };
                match c
                    .applies_if
                    .as_ref()
                    .and_then(|k| p.conditions.get(k).map(|cond| (k, cond)))
                {
                    Some((k, cond)) => {
                        let d = *decisions.entry(k.clone()).or_insert_with(|| {
                            let d = g.add_node(Node::Decision {
                                name: k.to_string(),
                                clause: cond.clause.to_string(),
                            });
                            g.add_edge(from, d, Edge::Triggers);
                            g.add_edge(d, closed, Edge::IfNo);
                            d
                        });
                        g.add_edge(d, n, Edge::IfYes);
                    }
                    None => {
                        g.add_edge(from, n, Edge::Triggers);
                    }
                }
                if c.stage == Stage::Report {
                    g.add_edge(n, n, Edge::Repeats);
                    g.add_edge(n, knows, Edge::Triggers);
                }
            }
            for c in p.incident_clauses() {
                for a in &c.after {
                    if let (Some(&from), Some(&to)) =
                        (ids.get(a.as_str()), ids.get(c.obligation_id()))
                    {
                        g.add_edge(from, to, Edge::After);
                    }
                }
            }
        }
        for n in all_obligations {
            g.add_edge(n, closed, Edge::After);
        }
        Lifecycle {
            profile: profile.id.to_string(),
            graph: g,
        }
    }

    fn label(&self, n: NodeIndex) -> String {
        match &self.graph[n] {
            Node::Detected { signs_count } => {
                if *signs_count {
                    "検知（発生又は兆候）\\ndetected (occurrence or signs)".into()
                } else {
                    "検知\\ndetected".into()
                }
            }
            Node::SignsOnly => "兆候のみ？\\nsigns only?".into(),
            Node::Confirmed => "事故と確認\\nconfirmed".into(),
            Node::Dismissed => "事故でないと判断\\ndismissed".into(),
            Node::PrincipalKnows => "委託者が知る\\nprincipal knows".into(),
            Node::Instruction => "委託者の指示\\ninstruction".into(),
            Node::Decision { name, clause } => format!("{clause}\\n{name}?"),
            Node::Obligation {
                clause,
                label,
                term,
                ..
            } => format!("{clause}\\n{label}\\n{term}"),
            Node::Closed => "終結\\nclosed".into(),
        }
    }

    fn id(&self, n: NodeIndex) -> String {
        format!("n{}", n.index())
    }

    /// Graphviz DOT.
    pub fn to_dot(&self) -> String {
        let mut s = format!(
            "digraph \"{}\" {{\n  rankdir=LR;\n  node [fontname=\"sans-serif\", fontsize=10];\n",
            esc(&self.profile)
        );
        for n in self.graph.node_indices() {
            let shape = match self.graph[n] {
                Node::Obligation { .. } => "box, style=rounded",
                Node::Decision { .. } | Node::SignsOnly => "diamond",
                Node::Closed => "doublecircle",
                _ => "ellipse",
            };
            s.push_str(&format!(
                "  {} [label=\"{}\", shape={}];\n",
                self.id(n),
                esc(&self.label(n)),
                shape
            ));
        }
        for e in self.graph.edge_references() {
            let attr = match e.weight() {
                Edge::Triggers => "",
                Edge::IfYes => " [label=\"yes\"]",
                Edge::IfNo => " [label=\"no\", style=dotted]",
                Edge::After => " [style=dashed]",
                Edge::Repeats => " [label=\"follow-up\"]",
            };
            s.push_str(&format!(
                "  {} -> {}{};\n",
                self.id(e.source()),
                self.id(e.target()),
                attr
            ));
        }
        s.push_str("}\n");
        s
    }

    /// Mermaid flowchart.
    pub fn to_mermaid(&self) -> String {
        let mut s = String::from("flowchart LR\n");
        for n in self.graph.node_indices() {
            let l = mermaid_text(&self.label(n));
            let node = match self.graph[n] {
                Node::Obligation { .. } => format!("  {}[\"{}\"]\n", self.id(n), l),
                Node::Decision { .. } | Node::SignsOnly => {
                    format!("  {}{{\"{}\"}}\n", self.id(n), l)
                }
                Node::Closed => format!("  {}((\"{}\"))\n", self.id(n), l),
                _ => format!("  {}([\"{}\"])\n", self.id(n), l),
            };
            s.push_str(&node);
        }
        for e in self.graph.edge_references() {
            let arrow = match e.weight() {
                Edge::Triggers => "-->".to_string(),
                Edge::IfYes => "-->|yes|".to_string(),
                Edge::IfNo => "-.->|no|".to_string(),
                Edge::After => "-.->".to_string(),
                Edge::Repeats => "-->|follow-up|".to_string(),
            };
            s.push_str(&format!(
                "  {} {} {}\n",
                self.id(e.source()),
                arrow,
                self.id(e.target())
            ));
        }
        s
    }
}

fn obligation_node(c: &Clause) -> Node {
    Node::Obligation {
        id: c.obligation_id().to_string(),
        clause: c.id.to_string(),
        stage: c.stage,
        label: c.stage.ja().to_string(),
        term: match c.days {
            Some(d) => format!("{}（{d}日）", c.legal_term),
            None => c.legal_term.to_string(),
        },
    }
}

fn esc(s: &str) -> String {
    // Labels keep their "\n" line breaks; quotes are escaped.
    s.replace('"', "\\\"")
}

fn mermaid_text(s: &str) -> String {
    s.replace("\\n", "<br/>").replace('"', "#quot;")
}
