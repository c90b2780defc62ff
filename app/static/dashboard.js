// Draws the dashboard's charts from the JSON the page carries (no inline script: CSP), in the
// page's colour mode, and redraws them in the new one when the theme changes.
(() => {
  const source = document.getElementById("chart-data");
  if (!source || !window.Plotly) return;
  const data = JSON.parse(source.textContent);
  const config = { displayModeBar: false, responsive: true };
  // The page's own text and border colours (Bootstrap's CSS variables of the current mode).
  const colours = () => {
    const style = getComputedStyle(document.body);
    return {
      text: style.color,
      grid: style.getPropertyValue("--bs-border-color").trim() || "#dee2e6",
      theme: document.documentElement.getAttribute("data-bs-theme") || "light",
    };
  };
  const themed = () => {
    const c = colours();
    return {
      font: { color: c.text },
      xaxis: { gridcolor: c.grid, linecolor: c.grid, zerolinecolor: c.grid },
      yaxis: { gridcolor: c.grid, linecolor: c.grid, zerolinecolor: c.grid },
      meta: { theme: c.theme },
    };
  };
  const layout = (extra) => {
    const base = themed();
    const merged = Object.assign({
      margin: { t: 10, r: 10, b: 40, l: 50 }, height: 300, paper_bgcolor: "rgba(0,0,0,0)",
      plot_bgcolor: "rgba(0,0,0,0)", legend: { orientation: "h", x: 0, y: 1.15 },
      font: base.font, meta: base.meta,
    }, extra);
    merged.xaxis = Object.assign({}, base.xaxis, extra.xaxis || {});
    merged.yaxis = Object.assign({}, base.yaxis, extra.yaxis || {});
    return merged;
  };
  const charts = [];
  const spending = document.getElementById("chart-spending");
  if (spending) {
    Plotly.newPlot(spending, [{
      type: "pie", hole: 0.5, labels: data.spending.labels,
      values: data.spending.amounts.map(Number), marker: { colors: data.spending.colors },
      textinfo: "percent", hovertemplate: "%{label}: %{value:,.2f} " + data.currency + "<extra></extra>",
    }], layout({ margin: { t: 10, r: 10, b: 10, l: 10 }, legend: { orientation: "h" } }), config);
    charts.push(spending);
  }
  const monthly = document.getElementById("chart-monthly");
  if (monthly) {
    Plotly.newPlot(monthly, [
      { type: "bar", name: "Income", x: data.monthly.months, y: data.monthly.income.map(Number), marker: { color: "#198754" } },
      { type: "bar", name: "Expenses", x: data.monthly.months, y: data.monthly.expense.map(Number), marker: { color: "#dc3545" } },
    ], layout({ barmode: "group", margin: { t: 30, r: 10, b: 50, l: 50 },
      xaxis: { type: "category", tickangle: -45 }, yaxis: { rangemode: "tozero", tickformat: ",.2~f" } }), config);
    charts.push(monthly);
  }
  window.addEventListener("outlay:theme", () => {
    const t = themed();
    charts.forEach((chart) => Plotly.relayout(chart, {
      "font.color": t.font.color, meta: t.meta,
      "xaxis.gridcolor": t.xaxis.gridcolor, "xaxis.linecolor": t.xaxis.linecolor,
      "xaxis.zerolinecolor": t.xaxis.zerolinecolor, "yaxis.gridcolor": t.yaxis.gridcolor,
      "yaxis.linecolor": t.yaxis.linecolor, "yaxis.zerolinecolor": t.yaxis.zerolinecolor,
    }));
  });
})();
