/*
 * flow.cpp - the one C++ file: qm_flow (flow.h) on LEMON's NetworkSimplex,
 * the fastest well-kept minimum-cost flow code in Debian (liblemon-dev).
 * The problem is gathered in plain arrays and the LEMON graph is built in
 * one go at solve time; exceptions never cross into C.
 */
#include <new>
#include <vector>

#include <lemon/network_simplex.h>
#include <lemon/smart_graph.h>

#include "flow.h"

struct qm_flow {
	std::vector<int64_t> supply;
	std::vector<int> from, to;
	std::vector<int64_t> cap, cost, flow;
};

extern "C" struct qm_flow *qm_flow_new(void)
{
	return new (std::nothrow) qm_flow();
}

extern "C" void qm_flow_free(struct qm_flow *f)
{
	delete f;
}

extern "C" int qm_flow_node(struct qm_flow *f, int64_t supply)
{
	try {
		f->supply.push_back(supply);
	} catch (...) {
		return -1;
	}
	return (int)f->supply.size() - 1;
}

extern "C" int qm_flow_arc(struct qm_flow *f, int from, int to, int64_t cap, int64_t cost)
{
	try {
		f->from.push_back(from);
		f->to.push_back(to);
		f->cap.push_back(cap);
		f->cost.push_back(cost);
	} catch (...) {
		return -1;
	}
	return (int)f->from.size() - 1;
}

extern "C" int qm_flow_solve(struct qm_flow *f, int64_t *total)
{
	try {
		typedef lemon::SmartDigraph Graph;
		Graph g;
		size_t n = f->supply.size(), m = f->from.size();
		g.reserveNode((int)n);
		g.reserveArc((int)m);
		for (size_t i = 0; i < n; i++)
			g.addNode();
		for (size_t a = 0; a < m; a++)
			g.addArc(g.nodeFromId(f->from[a]), g.nodeFromId(f->to[a]));
		Graph::NodeMap<int64_t> supply(g);
		Graph::ArcMap<int64_t> cap(g), cost(g), flow(g);
		for (size_t i = 0; i < n; i++)
			supply[g.nodeFromId((int)i)] = f->supply[i];
		for (size_t a = 0; a < m; a++) {
			Graph::Arc arc = g.arcFromId((int)a);
			cap[arc] = f->cap[a];
			cost[arc] = f->cost[a];
		}
		lemon::NetworkSimplex<Graph, int64_t, int64_t> ns(g);
		ns.upperMap(cap).costMap(cost).supplyMap(supply);
		if (ns.run() != lemon::NetworkSimplex<Graph, int64_t, int64_t>::OPTIMAL)
			return QM_FLOW_INFEASIBLE;
		ns.flowMap(flow);
		f->flow.resize(m);
		for (size_t a = 0; a < m; a++)
			f->flow[a] = flow[g.arcFromId((int)a)];
		*total = ns.totalCost<int64_t>();
		return QM_FLOW_OPTIMAL;
	} catch (...) {
		return QM_FLOW_ERROR;
	}
}

extern "C" int64_t qm_flow_of(const struct qm_flow *f, int a)
{
	return f->flow[(size_t)a];
}
