// allpairs_lemon.cpp - the reference solvers' side of the plan benchmark
// (bench/run_plan.sh): the plan of an instance of bench/gen_plan.c as the
// plain min-cost flow network, with one arc per compatible (supply group,
// requirement) pair, solved with LEMON's NetworkSimplex; or the same problem
// written as an LP for glpsol.
//
//   allpairs_lemon DIR            solve; print the objective and the times
//   allpairs_lemon --json DIR     solve; print the optimum found in the shape
//                                 of `qm plan --json` (objective, unmet_total,
//                                 assignments, requirements), the figures to
//                                 standard error: to compare a plan with qm's
//   allpairs_lemon --split DIR    the same pairs, cut into one network per
//                                 capability (they do not interact), each
//                                 solved alone: not the plain reference, but
//                                 a check of the optimum at sizes where the
//                                 single network does not finish in time
//   allpairs_lemon --lp DIR FILE  write the all-pairs LP (CPLEX LP format)
//
// DIR holds supply.txt and demand.txt as gen_plan writes them:
//   supply.txt  PLEDGE ITEM CAP DAY UNITS        one line per supply group
//   demand.txt  REQ KIND TARGET PRIORITY DAY UNITS   KIND c: TARGET is a
//               capability, i: an item
// A group of item i and capability c may serve requirement r when r names
// item i or capability c. Serving one unit costs w(r) * max(0, day(group) -
// day(r)), leaving one unit of r unmet costs w(r) * 3650, w = 2^(5 - prio).
//
// The network: a node per group (supply: its units), a node per requirement
// (demand: its units), a node U (supply: all demand) and a node X (demand:
// all supply). Arcs: group -> requirement for every compatible pair (cost as
// above), U -> requirement (the unmet arc, w(r) * 3650), group -> X (supply
// left unused, 0), U -> X (0). Every arc is uncapacitated; the balances
// bound every flow. The minimum cost is the plan's objective.
//
// Output of a solve, one "key value" per line, each as soon as it is known
// (so that a run stopped by a time limit still tells how far it got):
//   groups, requirements, arcs, nodes: the network's size
//   read_s: reading the input
//   build_s: building the graph and the solver's maps
//   run_s: NetworkSimplex::run()
//   solve_s: build_s + run_s, everything after reading the input
//   objective: the minimum cost; unmet: the units left unmet by this optimum
//   supply_units, demand_units
//
// Build: g++ -std=c++14 -O2 -o allpairs_lemon bench/allpairs_lemon.cpp
// (LEMON's graph and NetworkSimplex are header-only; liblemon.a is not
// needed).
#include <lemon/network_simplex.h>
#include <lemon/static_graph.h>

#include <chrono>
#include <cinttypes>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include "bench_util.h"

namespace {

const int NCAPS = 1000;
const int NITEMS = 3000;
const long long UNMET_DAYS = 3650;

struct Group {
	int item, cap, day, units;
};

struct Req {
	int item, cap; // one of them is -1
	int weight, day, units;
};

struct Instance {
	std::vector<Group> groups;
	std::vector<Req> reqs;
	std::vector<std::string> pledge_ids, req_ids; // only with --json
	std::vector<std::vector<int>> by_cap, by_item; // requirement indexes
	std::vector<std::vector<int>> groups_of_cap, groups_of_item;
};

[[noreturn]] void die(const std::string &msg)
{
	std::fprintf(stderr, "allpairs_lemon: %s\n", msg.c_str());
	std::exit(65);
}

FILE *open_or_die(const std::string &path, const char *mode)
{
	FILE *f = std::fopen(path.c_str(), mode);
	if (!f)
		die(path + ": " + std::strerror(errno));
	return f;
}

void index_instance(Instance &in);

void read_instance(const std::string &dir, Instance &in, bool keep_ids = false)
{
	char id[64], kind[8];
	int a, b, c, d;
	FILE *f = open_or_die(dir + "/supply.txt", "r");
	while (std::fscanf(f, "%63s %d %d %d %d", id, &a, &b, &c, &d) == 5) {
		if (a < 0 || a >= NITEMS || b < 0 || b >= NCAPS || d < 1)
			die("supply.txt: a bad line for " + std::string(id));
		in.groups.push_back(Group{a, b, c, d});
		if (keep_ids)
			in.pledge_ids.push_back(id);
	}
	if (!std::feof(f))
		die("supply.txt: a line that is not PLEDGE ITEM CAP DAY UNITS");
	std::fclose(f);
	f = open_or_die(dir + "/demand.txt", "r");
	while (std::fscanf(f, "%63s %7s %d %d %d %d", id, kind, &a, &b, &c, &d) == 6) {
		Req r;
		if (b < 1 || b > 5 || d < 1)
			die("demand.txt: a bad line for " + std::string(id));
		if (std::strcmp(kind, "c") == 0 && a >= 0 && a < NCAPS)
			r.cap = a, r.item = -1;
		else if (std::strcmp(kind, "i") == 0 && a >= 0 && a < NITEMS)
			r.item = a, r.cap = -1;
		else
			die("demand.txt: a bad kind or target for " + std::string(id));
		r.weight = 1 << (5 - b);
		r.day = c;
		r.units = d;
		in.reqs.push_back(r);
		if (keep_ids)
			in.req_ids.push_back(id);
	}
	if (!std::feof(f))
		die("demand.txt: a line that is not REQ KIND TARGET PRIORITY DAY UNITS");
	std::fclose(f);
	index_instance(in);
}

void index_instance(Instance &in)
{
	in.by_cap.assign(NCAPS, {});
	in.by_item.assign(NITEMS, {});
	in.groups_of_cap.assign(NCAPS, {});
	in.groups_of_item.assign(NITEMS, {});
	for (int r = 0; r < (int)in.reqs.size(); r++) {
		if (in.reqs[r].cap >= 0)
			in.by_cap[in.reqs[r].cap].push_back(r);
		else
			in.by_item[in.reqs[r].item].push_back(r);
	}
	for (int g = 0; g < (int)in.groups.size(); g++) {
		in.groups_of_cap[in.groups[g].cap].push_back(g);
		in.groups_of_item[in.groups[g].item].push_back(g);
	}
}

long long pair_cost(const Group &g, const Req &r)
{
	return g.day > r.day ? (long long)r.weight * (g.day - r.day) : 0;
}

// The arcs in source order, generated on the fly (StaticDigraph::build walks
// them twice: once to count, once to store), so that the pairs are never held
// in a list of their own. Node ids: groups 0..G-1, requirements G..G+R-1,
// U = G+R, X = G+R+1.
class ArcGen {
public:
	using iterator_category = std::forward_iterator_tag;
	using value_type = std::pair<int, int>;
	using difference_type = std::ptrdiff_t;
	using pointer = const value_type *;
	using reference = const value_type &;

	ArcGen() : in_(nullptr), g_(0), k_(0), end_(true) {}
	explicit ArcGen(const Instance *in) : in_(in), g_(0), k_(0), end_(false) { settle(); }

	reference operator*() const { return cur_; }
	pointer operator->() const { return &cur_; }
	ArcGen &operator++()
	{
		k_++;
		settle();
		return *this;
	}
	ArcGen operator++(int)
	{
		ArcGen t = *this;
		++*this;
		return t;
	}
	bool operator==(const ArcGen &o) const
	{
		if (end_ || o.end_)
			return end_ == o.end_;
		return g_ == o.g_ && k_ == o.k_;
	}
	bool operator!=(const ArcGen &o) const { return !(*this == o); }

private:
	// Out-arcs of node g_ (a group): its capability's requirements, its
	// item's requirements, then X; of node U (g_ == G): every requirement,
	// then X.
	void settle()
	{
		const int G = (int)in_->groups.size(), R = (int)in_->reqs.size();
		for (;;) {
			if (g_ < G) {
				const Group &gr = in_->groups[g_];
				const std::vector<int> &c = in_->by_cap[gr.cap], &i = in_->by_item[gr.item];
				int nc = (int)c.size(), ni = (int)i.size();
				if (k_ < nc) {
					cur_ = {g_, G + c[k_]};
					return;
				}
				if (k_ < nc + ni) {
					cur_ = {g_, G + i[k_ - nc]};
					return;
				}
				if (k_ == nc + ni) {
					cur_ = {g_, G + R + 1};
					return;
				}
				g_++;
				k_ = 0;
				continue;
			}
			if (g_ == G) {
				if (k_ < R) {
					cur_ = {G + R, G + k_};
					return;
				}
				if (k_ == R) {
					cur_ = {G + R, G + R + 1};
					return;
				}
			}
			end_ = true;
			return;
		}
	}

	const Instance *in_;
	int g_, k_;
	bool end_;
	value_type cur_;
};

typedef lemon::StaticDigraph Graph;

// The cost of an arc, from its end nodes (no per-arc array of our own).
class CostMap {
public:
	typedef Graph::Arc Key;
	typedef long long Value;
	CostMap(const Graph &g, const Instance &in) : g_(g), in_(in) {}
	Value operator[](const Key &a) const
	{
		const int G = (int)in_.groups.size(), R = (int)in_.reqs.size();
		int s = g_.id(g_.source(a)), t = g_.id(g_.target(a));
		if (t == G + R + 1)
			return 0;
		const Req &r = in_.reqs[t - G];
		if (s == G + R)
			return (long long)r.weight * UNMET_DAYS;
		return pair_cost(in_.groups[s], r);
	}

private:
	const Graph &g_;
	const Instance &in_;
};

double secs_since(std::chrono::steady_clock::time_point t0)
{
	return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

// Day n (0-based) from 2022-03-01 as YYYY-MM-DD (bench_util.h writes it).
std::string date_of(int n)
{
	char buf[16];
	::date_of(n, buf);
	return buf;
}

int solve(const std::string &dir, bool json)
{
	Instance in;
	auto t0 = std::chrono::steady_clock::now();
	read_instance(dir, in, json);
	double read_s = secs_since(t0);

	t0 = std::chrono::steady_clock::now();
	const int G = (int)in.groups.size(), R = (int)in.reqs.size();
	long long arcs = 0;
	for (const Group &g : in.groups)
		arcs += (long long)in.by_cap[g.cap].size() + in.by_item[g.item].size() + 1;
	arcs += R + 1;
	if (arcs > 2000000000LL)
		die("more than 2e9 arcs: LEMON's int arc ids cannot hold them");
	FILE *info = json ? stderr : stdout;
	std::fprintf(info, "groups %d\nrequirements %d\narcs %lld\nnodes %d\nread_s %.3f\n", G, R,
		arcs, G + R + 2, read_s);
	std::fflush(info);
	Graph graph;
	graph.build(G + R + 2, ArcGen(&in), ArcGen());
	// free what the solver does not need
	std::vector<std::vector<int>>().swap(in.by_cap);
	std::vector<std::vector<int>>().swap(in.by_item);
	std::vector<std::vector<int>>().swap(in.groups_of_cap);
	std::vector<std::vector<int>>().swap(in.groups_of_item);

	Graph::NodeMap<int> supply(graph);
	long long total_supply = 0, total_demand = 0;
	for (int g = 0; g < G; g++) {
		supply[graph.node(g)] = in.groups[g].units;
		total_supply += in.groups[g].units;
	}
	for (int r = 0; r < R; r++) {
		supply[graph.node(G + r)] = -in.reqs[r].units;
		total_demand += in.reqs[r].units;
	}
	if (total_supply > 1000000000LL || total_demand > 1000000000LL)
		die("more than 1e9 units: too many for int flows");
	supply[graph.node(G + R)] = (int)total_demand;
	supply[graph.node(G + R + 1)] = -(int)total_supply;

	lemon::NetworkSimplex<Graph, int, long long> ns(graph);
	ns.costMap(CostMap(graph, in)).supplyMap(supply);
	double build_s = secs_since(t0);
	std::fprintf(info, "build_s %.3f\n", build_s);
	std::fflush(info);

	t0 = std::chrono::steady_clock::now();
	auto status = ns.run();
	double run_s = secs_since(t0);
	if (status != lemon::NetworkSimplex<Graph, int, long long>::OPTIMAL)
		die(status == lemon::NetworkSimplex<Graph, int, long long>::INFEASIBLE ? "infeasible"
											     : "unbounded");

	long long objective = ns.totalCost<long long>();
	long long met = 0;
	for (int r = 0; r < R; r++)
		for (Graph::InArcIt a(graph, graph.node(G + r)); a != lemon::INVALID; ++a)
			if (graph.id(graph.source(a)) != G + R)
				met += ns.flow(a);
	std::fprintf(info, "run_s %.3f\nsolve_s %.3f\n", run_s, build_s + run_s);
	std::fprintf(info, "objective %lld\nunmet %lld\n", objective, total_demand - met);
	std::fprintf(info, "supply_units %lld\ndemand_units %lld\n", total_supply, total_demand);
	if (json) { // this optimum in the shape of qm plan --json, to compare plans
		std::printf("{\"objective\": %lld, \"unmet_total\": %lld, \"assignments\": [", objective,
			total_demand - met);
		const char *sep = "\n";
		std::vector<long long> got(R, 0);
		for (int g = 0; g < G; g++)
			for (Graph::OutArcIt a(graph, graph.node(g)); a != lemon::INVALID; ++a) {
				int t = graph.id(graph.target(a)) - G;
				if (t >= R || ns.flow(a) == 0)
					continue;
				const Group &gr = in.groups[g];
				const Req &r = in.reqs[t];
				got[t] += ns.flow(a);
				std::printf("%s{\"pledge\": \"%s\", \"requirement\": \"%s\", \"quantity\": %d, "
					    "\"available\": \"%s\", \"days_late\": %d}",
					sep, in.pledge_ids[g].c_str(), in.req_ids[t].c_str(), ns.flow(a),
					date_of(gr.day).c_str(), gr.day > r.day ? gr.day - r.day : 0);
				sep = ",\n";
			}
		std::printf("],\n\"requirements\": [");
		sep = "\n";
		for (int r = 0; r < R; r++) {
			std::printf("%s{\"id\": \"%s\", \"needed\": %d, \"assigned\": %lld, \"unmet\": %lld}",
				sep, in.req_ids[r].c_str(), in.reqs[r].units, got[r], in.reqs[r].units - got[r]);
			sep = ",\n";
		}
		std::printf("]}\n");
	}
	return 0;
}

// The same all-pairs network cut into its independent parts, one per
// capability (its groups, the requirements of the capability and of its
// items), each solved with NetworkSimplex. Not the plain-network reference:
// a check of the optimum where the single network is too big to solve.
int solve_split(const std::string &dir)
{
	Instance in;
	auto t0 = std::chrono::steady_clock::now();
	read_instance(dir, in);
	double read_s = secs_since(t0);
	std::printf("groups %d\nrequirements %d\nread_s %.3f\n", (int)in.groups.size(),
		(int)in.reqs.size(), read_s);
	std::fflush(stdout);

	t0 = std::chrono::steady_clock::now();
	typedef lemon::NetworkSimplex<Graph, int, long long> NS;
	long long objective = 0, unmet = 0, arcs = 0;
	double build_s = 0, run_s = 0;
	int parts = 0;
	std::vector<char> item_seen(NITEMS, 0);
	for (int c = 0; c < NCAPS; c++) {
		Instance sub;
		std::vector<int> items;
		for (int g : in.groups_of_cap[c]) {
			sub.groups.push_back(in.groups[g]);
			if (!item_seen[in.groups[g].item]) {
				item_seen[in.groups[g].item] = 1;
				items.push_back(in.groups[g].item);
			}
		}
		for (int r : in.by_cap[c])
			sub.reqs.push_back(in.reqs[r]);
		for (int i : items)
			for (int r : in.by_item[i])
				sub.reqs.push_back(in.reqs[r]);
		if (sub.reqs.empty())
			continue;
		auto t1 = std::chrono::steady_clock::now();
		index_instance(sub);
		const int G = (int)sub.groups.size(), R = (int)sub.reqs.size();
		Graph graph;
		graph.build(G + R + 2, ArcGen(&sub), ArcGen());
		arcs += graph.arcNum();
		Graph::NodeMap<int> supply(graph);
		long long ts = 0, td = 0;
		for (int g = 0; g < G; g++)
			ts += supply[graph.node(g)] = sub.groups[g].units;
		for (int r = 0; r < R; r++)
			td += sub.reqs[r].units, supply[graph.node(G + r)] = -sub.reqs[r].units;
		supply[graph.node(G + R)] = (int)td;
		supply[graph.node(G + R + 1)] = -(int)ts;
		NS ns(graph);
		ns.costMap(CostMap(graph, sub)).supplyMap(supply);
		auto t2 = std::chrono::steady_clock::now();
		build_s += std::chrono::duration<double>(t2 - t1).count();
		if (ns.run() != NS::OPTIMAL)
			die("a capability's part is not solvable");
		run_s += secs_since(t2);
		objective += ns.totalCost<long long>();
		for (Graph::OutArcIt a(graph, graph.node(G + R)); a != lemon::INVALID; ++a)
			if (graph.id(graph.target(a)) < G + R)
				unmet += ns.flow(a);
		parts++;
	}
	// requirements of items that nothing supplies: all unmet
	for (int i = 0; i < NITEMS; i++)
		if (!item_seen[i])
			for (int r : in.by_item[i]) {
				objective += (long long)in.reqs[r].weight * UNMET_DAYS * in.reqs[r].units;
				unmet += in.reqs[r].units;
			}
	std::printf("parts %d\narcs %lld\nbuild_s %.3f\nrun_s %.3f\nsolve_s %.3f\n", parts, arcs,
		build_s, run_s, secs_since(t0));
	std::printf("objective %lld\nunmet %lld\n", objective, unmet);
	return 0;
}

// The same problem as an LP: a column x_g_r per compatible pair, u_r per
// requirement (its unmet units); a row per group (at most its units) and per
// requirement (served + unmet = its units). Terms are written a few to a line.
int write_lp(const std::string &dir, const std::string &path)
{
	Instance in;
	read_instance(dir, in);
	const int G = (int)in.groups.size(), R = (int)in.reqs.size();
	FILE *f = open_or_die(path, "w");
	static char buf[1 << 20];
	std::setvbuf(f, buf, _IOFBF, sizeof(buf));
	int on_line = 0;
	auto term = [&](long long coef, const char *sign_first, int g, int r) {
		if (on_line == 8) {
			std::fputs("\n ", f);
			on_line = 0;
		}
		if (g >= 0)
			std::fprintf(f, " %s %lld x%dr%d", sign_first, coef, g, r);
		else
			std::fprintf(f, " %s %lld u%d", sign_first, coef, r);
		on_line++;
	};

	std::fputs("\\ all-pairs plan LP written by bench/allpairs_lemon.cpp\nMinimize\n obj:", f);
	on_line = 0;
	bool any = false;
	for (int g = 0; g < G; g++) {
		const Group &gr = in.groups[g];
		for (int pass = 0; pass < 2; pass++)
			for (int r : pass == 0 ? in.by_cap[gr.cap] : in.by_item[gr.item]) {
				long long c = pair_cost(gr, in.reqs[r]);
				if (c > 0) {
					term(c, "+", g, r);
					any = true;
				}
			}
	}
	for (int r = 0; r < R; r++) {
		term((long long)in.reqs[r].weight * UNMET_DAYS, "+", -1, r);
		any = true;
	}
	if (!any)
		die("no requirements: nothing to write");
	std::fputs("\nSubject To\n", f);
	for (int g = 0; g < G; g++) {
		const Group &gr = in.groups[g];
		if (in.by_cap[gr.cap].empty() && in.by_item[gr.item].empty())
			continue; // a group nothing can use: no row
		std::fprintf(f, " s%d:", g);
		on_line = 0;
		for (int pass = 0; pass < 2; pass++)
			for (int r : pass == 0 ? in.by_cap[gr.cap] : in.by_item[gr.item])
				term(1, "+", g, r);
		std::fprintf(f, " <= %d\n", gr.units);
	}
	for (int r = 0; r < R; r++) {
		const Req &rq = in.reqs[r];
		const std::vector<int> &gs = rq.cap >= 0 ? in.groups_of_cap[rq.cap] : in.groups_of_item[rq.item];
		std::fprintf(f, " d%d:", r);
		on_line = 0;
		for (int g : gs)
			term(1, "+", g, r);
		term(1, "+", -1, r);
		std::fprintf(f, " = %d\n", rq.units);
	}
	std::fputs("End\n", f);
	if (std::fflush(f) != 0 || std::ferror(f) || std::fclose(f) != 0)
		die(path + ": write failed");
	return 0;
}

} // namespace

int main(int argc, char **argv)
{
	if (argc == 2)
		return solve(argv[1], false);
	if (argc == 3 && std::strcmp(argv[1], "--json") == 0)
		return solve(argv[2], true);
	if (argc == 3 && std::strcmp(argv[1], "--split") == 0)
		return solve_split(argv[2]);
	if (argc == 4 && std::strcmp(argv[1], "--lp") == 0)
		return write_lp(argv[2], argv[3]);
	std::fprintf(stderr, "usage: allpairs_lemon [--json | --split] DIR | allpairs_lemon --lp DIR FILE\n");
	return 64;
}
