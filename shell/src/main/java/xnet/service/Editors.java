package xnet.service;

import xnet.model.ConfigEditor;
import xnet.model.RuleEditor;

/** The pure editors of one target: topology (bridges, containers, tunnels) and rules (filter, NAT, datapath). */
public record Editors(ConfigEditor topology, RuleEditor rules) {
}
