//! Tabletop drill simulator (issue #3 of the drill track): scenarios, injects, a simulated clock,
//! scoring by the same obligation engine, Monte Carlo, debrief.
