// Draws the dashboard's charts from the JSON the page carries (no inline script: CSP).
(() => {
  const source = document.getElementById("chart-data");
  if (!source || !window.Plotly) return;
  const data = JSON.parse(source.textContent);
  const config = { displayModeBar: false, responsive: true };
  const layout = (extra) => Object.assign({
    margin: { t: 10, r: 10, b: 40, l: 50 }, height: 300, paper_bgcolor: "rgba(0,0,0,0)",
    plot_bgcolor: "rgba(0,0,0,0)", legend: { orientation: "h", x: 0, y: 1.15 },
  }, extra);
  const spending = document.getElementById("chart-spending");
  if (spending) {
    Plotly.newPlot(spending, [{
      type: "pie", hole: 0.5, labels: data.spending.labels,
      values: data.spending.amounts.map(Number), marker: { colors: data.spending.colors },
      textinfo: "percent", hovertemplate: "%{label}: %{value:,.2f} " + data.currency + "<extra></extra>",
    }], layout({ margin: { t: 10, r: 10, b: 10, l: 10 }, legend: { orientation: "h" } }), config);
  }
  const monthly = document.getElementById("chart-monthly");
  if (monthly) {
    Plotly.newPlot(monthly, [
      { type: "bar", name: "Income", x: data.monthly.months, y: data.monthly.income.map(Number), marker: { color: "#198754" } },
      { type: "bar", name: "Expenses", x: data.monthly.months, y: data.monthly.expense.map(Number), marker: { color: "#dc3545" } },
    ], layout({ barmode: "group", margin: { t: 30, r: 10, b: 50, l: 50 },
      xaxis: { type: "category", tickangle: -45 }, yaxis: { rangemode: "tozero", tickformat: ",.2~f" } }), config);
  }
})();
